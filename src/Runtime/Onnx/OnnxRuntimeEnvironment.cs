using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace SpeechServe.Runtime.Onnx;

/// <summary>
/// The process-wide ONNX Runtime environment (<see cref="OrtEnv"/>): one intra-op thread pool that every session
/// shares, so several models and translation decoders in one process do not oversubscribe the cores, and ONNX
/// Runtime's own log messages forwarded to a logger.
/// </summary>
/// <remarks>
/// ONNX Runtime allows one environment per process and fixes its settings when it is created: the first call to
/// <see cref="Initialize"/> wins. Where something created the environment before that (any ONNX Runtime call does),
/// there are no shared pools and sessions get their own (<see cref="HasSharedThreadPool"/> is false).
/// </remarks>
public static class OnnxRuntimeEnvironment
{
    private static readonly Lock InitializeLock = new();
    private static ILogger? _nativeLogger;

    /// <summary>Whether sessions run on the environment's shared intra-op pool.</summary>
    public static bool HasSharedThreadPool { get; private set; }

    /// <summary>The loaded ONNX Runtime's version, for example <c>1.32.0</c>.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>Creates the environment on the first call; later calls change nothing.</summary>
    /// <param name="intraOpThreads">Threads of the shared intra-op pool; 0 lets ONNX Runtime choose (one per core).</param>
    /// <param name="logger">Receives ONNX Runtime's warnings and errors.</param>
    public static void Initialize(int intraOpThreads, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        ArgumentNullException.ThrowIfNull(logger);
        lock (InitializeLock)
        {
            if (OrtEnv.IsCreated)
            {
                return;
            }

            _nativeLogger = logger;
            using var threading = new OrtThreadingOptions { GlobalIntraOpNumThreads = intraOpThreads, GlobalInterOpNumThreads = 1 };
            var options = new EnvironmentCreationOptions
            {
                logId = "SpeechServe",
                logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                threadOptions = threading,
                loggingFunction = ForwardNativeMessage,
            };
            OrtEnv.CreateInstanceWithOptions(ref options);
            HasSharedThreadPool = true;
            OnnxLog.EnvironmentCreated(logger, Version, intraOpThreads);
        }
    }

    private static void ForwardNativeMessage(nint param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        var level = severity switch
        {
            OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => LogLevel.Trace,
            OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => LogLevel.Debug,
            OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => LogLevel.Warning,
            OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => LogLevel.Error,
            _ => LogLevel.Critical,
        };
        if (_nativeLogger is { } logger)
        {
            OnnxLog.Native(logger, level, category, codeLocation, message);
        }
    }
}
