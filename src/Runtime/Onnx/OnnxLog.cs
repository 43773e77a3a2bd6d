using Microsoft.Extensions.Logging;

namespace SpeechServe.Runtime.Onnx;

/// <summary>Log messages about ONNX Runtime, with stable event ids.</summary>
internal static partial class OnnxLog
{
    [LoggerMessage(EventId = 1100, Message = "ONNX Runtime [{Category}] {Location} {NativeMessage}")]
    public static partial void Native(ILogger logger, LogLevel level, string category, string location, string nativeMessage);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "ONNX Runtime {Version} environment created (shared intra-op threads: {IntraOpThreads}, 0 = one per core)")]
    public static partial void EnvironmentCreated(ILogger logger, string version, int intraOpThreads);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "CUDA execution provider requested but not available, falling back to the CPU execution provider: {Reason}")]
    public static partial void CudaFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information,
        Message = "ONNX Runtime session created on {Provider} with inputs [{Inputs}] and outputs [{Outputs}]")]
    public static partial void SessionCreated(ILogger logger, OnnxExecutionProvider provider, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs);
}
