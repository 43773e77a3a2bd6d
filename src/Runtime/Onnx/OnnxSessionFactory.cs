using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace SpeechServe.Runtime.Onnx;

/// <summary>
/// Creates ONNX Runtime sessions on the requested execution provider, falling back to the CPU with a logged reason
/// when CUDA cannot be used (no provider library, missing CUDA libraries, no device). Sessions share the
/// <see cref="OnnxRuntimeEnvironment"/>'s intra-op pool.
/// </summary>
public sealed class OnnxSessionFactory
{
    private const string CudaProviderName = "CUDAExecutionProvider";

    private readonly ILogger _logger;
    private readonly int _cudaDeviceId;

    /// <param name="logger">Receives the fallback warnings, session details and ONNX Runtime's own messages.</param>
    /// <param name="intraOpThreads">Threads of the shared intra-op pool when this creates the environment; 0 = one per core.</param>
    /// <param name="cudaDeviceId">CUDA device ordinal for sessions on <see cref="OnnxExecutionProvider.Cuda"/>.</param>
    public OnnxSessionFactory(ILogger logger, int intraOpThreads = 0, int cudaDeviceId = 0)
    {
        ArgumentNullException.ThrowIfNull(logger);
        OnnxRuntimeEnvironment.Initialize(intraOpThreads, logger);
        _logger = logger;
        _cudaDeviceId = cudaDeviceId;
    }

    /// <summary>
    /// When set, each session created afterwards records ONNX Runtime's profile of every node it runs, written
    /// to a JSON file whose path starts with this prefix when <see cref="InferenceSession.EndProfiling"/> is called.
    /// </summary>
    public string? ProfilePathPrefix { get; init; }

    /// <summary>Loads the ONNX file <paramref name="modelPath"/>.</summary>
    /// <param name="modelPath">The model file.</param>
    /// <param name="requested">The provider asked for.</param>
    /// <param name="actual">The provider the session runs on.</param>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model.</exception>
    public InferenceSession Create(string modelPath, OnnxExecutionProvider requested, out OnnxExecutionProvider actual)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        return Create(options => new InferenceSession(modelPath, options), requested, out actual);
    }

    /// <summary>Loads a model from the bytes of an ONNX file.</summary>
    /// <inheritdoc cref="Create(string, OnnxExecutionProvider, out OnnxExecutionProvider)"/>
    public InferenceSession Create(ReadOnlyMemory<byte> model, OnnxExecutionProvider requested, out OnnxExecutionProvider actual)
    {
        var bytes = model.ToArray();
        return Create(options => new InferenceSession(bytes, options), requested, out actual);
    }

    private InferenceSession Create(Func<SessionOptions, InferenceSession> load, OnnxExecutionProvider requested, out OnnxExecutionProvider actual)
    {
        InferenceSession? session = null;
        actual = OnnxExecutionProvider.Cpu;
        if (requested == OnnxExecutionProvider.Cuda)
        {
            session = TryLoadOnCuda(load);
            actual = session is null ? OnnxExecutionProvider.Cpu : OnnxExecutionProvider.Cuda;
        }

        if (session is null)
        {
            using var options = CreateOptions(ProfilePathPrefix);
            session = load(options);
        }

        OnnxLog.SessionCreated(_logger, actual, session.InputNames, session.OutputNames);
        return session;
    }

    private InferenceSession? TryLoadOnCuda(Func<SessionOptions, InferenceSession> load)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProviderName))
        {
            OnnxLog.CudaFallback(_logger, $"this ONNX Runtime {OnnxRuntimeEnvironment.Version} build has no {CudaProviderName}");
            return null;
        }

        using var options = CreateOptions(ProfilePathPrefix);
        try
        {
            // Appending fails when the provider library or the CUDA libraries it needs cannot be loaded; loading
            // fails when they load but there is no usable device.
            options.AppendExecutionProvider_CUDA(_cudaDeviceId);
            return load(options);
        }
        catch (OnnxRuntimeException ex)
        {
            OnnxLog.CudaFallback(_logger, ex.Message);
            return null;
        }
    }

    private static SessionOptions CreateOptions(string? profilePathPrefix)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (profilePathPrefix is not null)
        {
            // The prefix must be set first: enabling profiling passes the prefix set at that moment to ONNX Runtime.
            options.ProfileOutputPathPrefix = profilePathPrefix;
            options.EnableProfiling = true;
        }

        if (OnnxRuntimeEnvironment.HasSharedThreadPool)
        {
            options.DisablePerSessionThreads();
        }

        return options;
    }
}
