namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>Turns <see cref="OnnxSessionOptions"/> into a native <c>OrtSessionOptions</c>.</summary>
internal static unsafe class SessionOptionsFactory
{
    private const string CudaProviderName = "CUDAExecutionProvider";

    // enum ExecutionMode { ORT_SEQUENTIAL = 0, ORT_PARALLEL = 1 }
    private const int SequentialMode = 0;
    private const int ParallelMode = 1;

    /// <summary>Builds the native options.</summary>
    /// <param name="environment">The environment the session will belong to.</param>
    /// <param name="options">The managed settings.</param>
    /// <param name="tryCuda">Whether to append the CUDA provider; when it cannot be appended the fallback is logged.</param>
    /// <param name="provider">The provider the options select.</param>
    public static OrtSessionOptionsHandle Create(
        OnnxEnvironment environment, OnnxSessionOptions options, bool tryCuda, out OnnxExecutionProvider provider)
    {
        nint raw;
        OrtStatus.Check(OrtApi.CreateSessionOptions(&raw));
        var handle = new OrtSessionOptionsHandle(raw);
        try
        {
            Apply(raw, environment, options);
            provider = OnnxExecutionProvider.Cpu;
            if (tryCuda)
            {
                if (TryAppendCuda(raw, options.CudaDeviceId, out var reason))
                {
                    provider = OnnxExecutionProvider.Cuda;
                }
                else
                {
                    OnnxLog.CudaFallback(environment.Logger, reason);
                }
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void Apply(nint raw, OnnxEnvironment environment, OnnxSessionOptions options)
    {
        OrtStatus.Check(OrtApi.SetSessionGraphOptimizationLevel(raw, (int)options.GraphOptimizationLevel));
        OrtStatus.Check(OrtApi.SetSessionExecutionMode(raw, options.ParallelExecution ? ParallelMode : SequentialMode));
        if (options.LogLevel is { } level)
        {
            OrtStatus.Check(OrtApi.SetSessionLogSeverityLevel(raw, (int)level));
        }

        if (environment.UsesGlobalThreadPools && options.UseEnvironmentThreadPools)
        {
            OrtStatus.Check(OrtApi.DisablePerSessionThreads(raw));
            if (options.IntraOpThreads != 0 || options.InterOpThreads != 0)
            {
                OnnxLog.SessionThreadsIgnored(environment.Logger);
            }
        }
        else
        {
            OrtStatus.Check(OrtApi.SetIntraOpNumThreads(raw, options.IntraOpThreads));
            OrtStatus.Check(OrtApi.SetInterOpNumThreads(raw, options.InterOpThreads));
        }

        foreach (var (key, value) in options.ConfigEntries)
        {
            var keyZ = new Utf8Z(key);
            var valueZ = new Utf8Z(value);
            OrtStatus.Check(OrtApi.AddSessionConfigEntry(raw, keyZ.Pointer, valueZ.Pointer));
            GC.KeepAlive(keyZ);
            GC.KeepAlive(valueZ);
        }
    }

    private static bool TryAppendCuda(nint raw, int deviceId, out string reason)
    {
        if (!OnnxEnvironment.GetAvailableProviders().Contains(CudaProviderName))
        {
            reason = $"this ONNX Runtime {OnnxEnvironment.RuntimeVersion} build has no {CudaProviderName}";
            return false;
        }

        try
        {
            nint cudaRaw;
            OrtStatus.Check(OrtApi.CreateCudaProviderOptions(&cudaRaw));
            using var cuda = new OrtCudaProviderOptionsHandle(cudaRaw);
            var key = new Utf8Z("device_id");
            var value = new Utf8Z(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var keyPointer = key.Pointer;
            var valuePointer = value.Pointer;
            OrtStatus.Check(OrtApi.UpdateCudaProviderOptions(cudaRaw, &keyPointer, &valuePointer, 1));
            GC.KeepAlive(key);
            GC.KeepAlive(value);
            OrtStatus.Check(OrtApi.SessionOptionsAppendExecutionProviderCudaV2(raw, cudaRaw));
            reason = string.Empty;
            return true;
        }
        catch (OnnxRuntimeException ex)
        {
            reason = ex.RuntimeMessage;
            return false;
        }
    }
}
