using System.Runtime.InteropServices;

namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>
/// Loads the ONNX Runtime shared library and resolves its one exported entry point, <c>OrtGetApiBase</c>,
/// into the <c>OrtApi</c> function table that every other call goes through.
/// </summary>
internal static unsafe class OrtLibrary
{
    /// <summary>File name of the native library the build places beside the application.</summary>
    public const string LibraryFileName = "libonnxruntime.so.1";

    /// <summary>
    /// The <c>OrtApi</c> version requested from <c>OrtApiBase::GetApi</c>: the newest version whose functions this
    /// binding uses (<c>SessionOptionsAppendExecutionProvider_CUDA_V2</c> and the CUDA provider options arrived in
    /// version 11). Any newer library serves it, because the table only ever grows at its end.
    /// </summary>
    public const uint ApiVersion = 11;

    private static readonly Lock InitLock = new();
    private static nint _table;
    private static string? _versionString;

    /// <summary>The <c>OrtApi</c> function table, loading the library on first use.</summary>
    public static nint* Table
    {
        get
        {
            var table = Volatile.Read(ref _table);
            return table != 0 ? (nint*)table : Load();
        }
    }

    /// <summary>The version string the loaded library reports (<c>OrtApiBase::GetVersionString</c>).</summary>
    public static string VersionString
    {
        get
        {
            _ = Table;
            return _versionString!;
        }
    }

    private static nint* Load()
    {
        lock (InitLock)
        {
            if (_table != 0)
            {
                return (nint*)_table;
            }

            var library = LoadLibrary();
            var getApiBase = (delegate* unmanaged<OrtApiBase*>)NativeLibrary.GetExport(library, "OrtGetApiBase");
            var apiBase = getApiBase();
            var api = apiBase->GetApi(ApiVersion);
            var version = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "unknown";
            if (api == null)
            {
                throw new NotSupportedException(
                    $"ONNX Runtime {version} does not support C API version {ApiVersion}; use ONNX Runtime 1.11 or newer.");
            }

            _versionString = version;
            Volatile.Write(ref _table, (nint)api);
            return api;
        }
    }

    private static nint LoadLibrary()
    {
        var besideApp = Path.Combine(AppContext.BaseDirectory, LibraryFileName);
        if (NativeLibrary.TryLoad(besideApp, out var handle) || NativeLibrary.TryLoad(LibraryFileName, out handle))
        {
            return handle;
        }

        throw new DllNotFoundException(
            $"Could not load the ONNX Runtime native library '{LibraryFileName}' from '{AppContext.BaseDirectory}' or the " +
            "system library path. Build a project that references src/Runtime (the build fetches the library into .native/ " +
            "and copies it beside the outputs), or put the library on LD_LIBRARY_PATH.");
    }

    // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t version); const char* (*GetVersionString)(void); }
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct OrtApiBase
    {
        public readonly delegate* unmanaged<uint, nint*> GetApi;
        public readonly delegate* unmanaged<byte*> GetVersionString;
    }
}
