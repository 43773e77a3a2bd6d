namespace SpeechServe.Runtime.Onnx;

/// <summary>Settings of the process-wide ONNX Runtime environment.</summary>
public sealed class OnnxEnvironmentOptions
{
    /// <summary>Least severe ONNX Runtime message that is produced and forwarded to the logger. Default: warning.</summary>
    public OnnxLogLevel LogLevel { get; init; } = OnnxLogLevel.Warning;

    /// <summary>Identifier ONNX Runtime puts in its log messages.</summary>
    public string LogId { get; init; } = "SpeechServe";

    /// <summary>
    /// Whether sessions share the environment's thread pools (<c>CreateEnvWithGlobalThreadPools</c>) instead of each
    /// creating its own. Default: true, so several models in one process do not oversubscribe the cores.
    /// </summary>
    public bool UseGlobalThreadPools { get; init; } = true;

    /// <summary>Threads of the global intra-op pool (parallelism inside one operator); 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads of the global inter-op pool (parallel branches of a graph); 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>
    /// Whether idle global pool threads spin before sleeping: lower latency, more CPU burned. Default: true
    /// (ONNX Runtime's default).
    /// </summary>
    public bool AllowSpinning { get; init; } = true;
}
