using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpeechServe.Runtime.Onnx.Native;

namespace SpeechServe.Runtime.Onnx;

/// <summary>
/// The ONNX Runtime environment: logging and, by default, the thread pools every session shares. Create one per
/// process, keep it for the process lifetime and dispose it after every session it created.
/// </summary>
/// <remarks>
/// ONNX Runtime holds a single environment per process: while one exists, creating another returns the same native
/// environment with the first one's logging and thread settings. Sessions keep their environment alive until they are
/// disposed, whatever order the objects are disposed in.
/// </remarks>
public sealed unsafe class OnnxEnvironment : IDisposable
{
    private readonly OrtEnvHandle _handle;
    private int _disposed;

    private OnnxEnvironment(OrtEnvHandle handle, ILogger logger, bool usesGlobalThreadPools)
    {
        _handle = handle;
        Logger = logger;
        UsesGlobalThreadPools = usesGlobalThreadPools;
    }

    /// <summary>Version of the loaded ONNX Runtime library, for example <c>1.30.0</c>.</summary>
    public static string RuntimeVersion => OrtLibrary.VersionString;

    /// <summary>Whether sessions created here share the environment's global thread pools.</summary>
    public bool UsesGlobalThreadPools { get; }

    /// <summary>The logger that receives ONNX Runtime's messages and this binding's own.</summary>
    public ILogger Logger { get; }

    internal OrtEnvHandle Handle => _handle;

    /// <summary>Creates the environment.</summary>
    /// <param name="options">Logging and thread settings; defaults when null.</param>
    /// <param name="logger">Receives ONNX Runtime's log messages and the binding's (such as a CUDA fallback).</param>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the settings.</exception>
    /// <exception cref="DllNotFoundException">The native library could not be loaded.</exception>
    public static OnnxEnvironment Create(OnnxEnvironmentOptions? options = null, ILogger? logger = null)
    {
        options ??= new OnnxEnvironmentOptions();
        logger ??= NullLogger.Instance;
        var logId = new Utf8Z(options.LogId);
        nint env;
        OrtLogBridge.Attach(logger);
        try
        {
            if (options.UseGlobalThreadPools)
            {
                using var threading = CreateThreadingOptions(options);
                OrtStatus.Check(OrtApi.CreateEnvWithCustomLoggerAndGlobalThreadPools(
                    OrtLogBridge.Callback, 0, (int)options.LogLevel, logId.Pointer, threading.DangerousGetHandle(), &env));
            }
            else
            {
                OrtStatus.Check(OrtApi.CreateEnvWithCustomLogger(
                    OrtLogBridge.Callback, 0, (int)options.LogLevel, logId.Pointer, &env));
            }
        }
        catch
        {
            OrtLogBridge.Detach(logger);
            throw;
        }

        GC.KeepAlive(logId);

        var environment = new OnnxEnvironment(new OrtEnvHandle(env), logger, options.UseGlobalThreadPools);
        OnnxLog.EnvironmentCreated(logger, RuntimeVersion, options.UseGlobalThreadPools);
        return environment;
    }

    /// <summary>Names of the execution providers compiled into the loaded library, e.g. <c>CPUExecutionProvider</c>.</summary>
    /// <remarks>A listed provider may still fail to load when its own library or its dependencies are missing.</remarks>
    public static IReadOnlyList<string> GetAvailableProviders()
    {
        byte** names;
        int count;
        OrtStatus.Check(OrtApi.GetAvailableProviders(&names, &count));
        var result = new string[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                result[i] = Utf8Z.Read(names[i]);
            }
        }
        finally
        {
            OrtStatus.Check(OrtApi.ReleaseAvailableProviders(names, count));
        }

        return result;
    }

    /// <summary>Loads a model from an ONNX file.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model.</exception>
    public OnnxSession CreateSession(string modelPath, OnnxSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        return OnnxSession.Create(this, SessionModel.FromPath(modelPath), options ?? new OnnxSessionOptions());
    }

    /// <summary>Loads a model from the bytes of an ONNX file; the bytes are not needed after the call.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model.</exception>
    public OnnxSession CreateSession(ReadOnlyMemory<byte> model, OnnxSessionOptions? options = null) =>
        OnnxSession.Create(this, SessionModel.FromBytes(model), options ?? new OnnxSessionOptions());

    /// <summary>Releases this reference to the native environment; sessions still open keep it alive.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _handle.Dispose();
            OrtLogBridge.Detach(Logger);
        }
    }

    private static OrtThreadingOptionsHandle CreateThreadingOptions(OnnxEnvironmentOptions options)
    {
        nint raw;
        OrtStatus.Check(OrtApi.CreateThreadingOptions(&raw));
        var threading = new OrtThreadingOptionsHandle(raw);
        try
        {
            OrtStatus.Check(OrtApi.SetGlobalIntraOpNumThreads(raw, options.IntraOpThreads));
            OrtStatus.Check(OrtApi.SetGlobalInterOpNumThreads(raw, options.InterOpThreads));
            OrtStatus.Check(OrtApi.SetGlobalSpinControl(raw, options.AllowSpinning ? 1 : 0));
            return threading;
        }
        catch
        {
            threading.Dispose();
            throw;
        }
    }
}
