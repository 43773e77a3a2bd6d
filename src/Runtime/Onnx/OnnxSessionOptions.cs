namespace SpeechServe.Runtime.Onnx;

/// <summary>Settings of one inference session; immutable once the session is created from them.</summary>
public sealed class OnnxSessionOptions
{
    /// <summary>
    /// Back end to run on. <see cref="OnnxExecutionProvider.Cuda"/> falls back to the CPU, with a logged warning, when
    /// the CUDA provider cannot be used; <see cref="OnnxSession.ExecutionProvider"/> tells which one was taken.
    /// </summary>
    public OnnxExecutionProvider ExecutionProvider { get; init; } = OnnxExecutionProvider.Cpu;

    /// <summary>CUDA device ordinal used with <see cref="OnnxExecutionProvider.Cuda"/>.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>Graph rewrites applied while loading. Default: <see cref="GraphOptimizationLevel.All"/>.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    /// <summary>
    /// Whether the session runs on the environment's global thread pools when it has them (the default). When it
    /// does, <see cref="IntraOpThreads"/> and <see cref="InterOpThreads"/> are ignored.
    /// </summary>
    public bool UseEnvironmentThreadPools { get; init; } = true;

    /// <summary>Threads of the session's own intra-op pool; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads of the session's own inter-op pool (used only with <see cref="ParallelExecution"/>).</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Whether independent branches of the graph may run in parallel (<c>ORT_PARALLEL</c>). Default: false.</summary>
    public bool ParallelExecution { get; init; }

    /// <summary>Least severe message this session logs; null keeps the environment's level.</summary>
    public OnnxLogLevel? LogLevel { get; init; }

    /// <summary>
    /// Extra session configuration entries (<c>AddSessionConfigEntry</c>), keys as in ONNX Runtime's
    /// <c>onnxruntime_session_options_config_keys.h</c>, e.g. <c>session.intra_op.allow_spinning</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();
}
