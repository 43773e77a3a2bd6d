using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>
/// Forwards ONNX Runtime's own log messages (its <c>OrtLoggingFunction</c>) to an <see cref="ILogger"/>.
/// </summary>
/// <remarks>
/// ONNX Runtime keeps one environment per process and the logging function of the first one created, so the callback
/// carries no per-environment state: it writes to the logger of the most recently created environment still open,
/// which no native call can outlive.
/// </remarks>
internal static unsafe class OrtLogBridge
{
    private static readonly Lock AttachLock = new();
    private static readonly List<ILogger> Attached = [];
    private static ILogger? _logger;

    /// <summary>The native callback to hand to the environment.</summary>
    public static delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void> Callback => &OnLog;

    /// <summary>Attaches the logger that receives ONNX Runtime's messages from now on.</summary>
    public static void Attach(ILogger logger)
    {
        lock (AttachLock)
        {
            Attached.Add(logger);
            Volatile.Write(ref _logger, logger);
        }
    }

    /// <summary>Detaches <paramref name="logger"/>; the logger attached before it takes over again.</summary>
    public static void Detach(ILogger logger)
    {
        lock (AttachLock)
        {
            Attached.Remove(logger);
            Volatile.Write(ref _logger, Attached.Count > 0 ? Attached[^1] : null);
        }
    }

    // void OrtLoggingFunction(void* param, OrtLoggingLevel severity, const char* category, const char* logid,
    //                         const char* code_location, const char* message)
    [UnmanagedCallersOnly]
    private static void OnLog(nint param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        try
        {
            var logger = Volatile.Read(ref _logger);
            var level = ToLogLevel(severity);
            if (logger is not null && logger.IsEnabled(level))
            {
                var categoryText = Marshal.PtrToStringUTF8((nint)category) ?? string.Empty;
                var locationText = Marshal.PtrToStringUTF8((nint)codeLocation) ?? string.Empty;
                var messageText = Marshal.PtrToStringUTF8((nint)message) ?? string.Empty;
                OnnxLog.Native(logger, level, categoryText, locationText, messageText);
            }
        }
#pragma warning disable CA1031 // An exception must never unwind into native code; a failing log sink drops the message.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LogLevel ToLogLevel(int severity) => severity switch
    {
        0 => LogLevel.Debug,
        1 => LogLevel.Information,
        2 => LogLevel.Warning,
        3 => LogLevel.Error,
        _ => LogLevel.Critical,
    };
}
