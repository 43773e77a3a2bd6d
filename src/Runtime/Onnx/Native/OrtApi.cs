namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>
/// The slots of the ONNX Runtime C API function table (<c>struct OrtApi</c> in <c>onnxruntime_c_api.h</c>) that this
/// binding calls, each read by its index with the C signature noted beside it.
/// </summary>
/// <remarks>
/// The indices MUST match the order of the members of <c>struct OrtApi</c> in the header: the table is append-only,
/// so the index of a function never changes once its API version has shipped, and every index used here belongs to
/// API version <see cref="OrtLibrary.ApiVersion"/> or older. Every function returning <c>OrtStatus*</c> returns it
/// as an <see cref="nint"/> that the caller hands to <see cref="OrtStatus.Check"/>.
/// </remarks>
internal static unsafe partial class OrtApi
{
    private static nint* T => OrtLibrary.Table;

    // ---- OrtStatus ----

    // 0: OrtStatus* CreateStatus(OrtErrorCode code, const char* msg)
    public static nint CreateStatus(int code, byte* message) =>
        ((delegate* unmanaged<int, byte*, nint>)T[0])(code, message);

    // 1: OrtErrorCode GetErrorCode(const OrtStatus* status)
    public static int GetErrorCode(nint status) => ((delegate* unmanaged<nint, int>)T[1])(status);

    // 2: const char* GetErrorMessage(const OrtStatus* status)
    public static byte* GetErrorMessage(nint status) => ((delegate* unmanaged<nint, byte*>)T[2])(status);

    // 93: void ReleaseStatus(OrtStatus* input)
    public static void ReleaseStatus(nint status) => ((delegate* unmanaged<nint, void>)T[93])(status);

    // ---- OrtEnv and OrtThreadingOptions ----

    // 92: void ReleaseEnv(OrtEnv* input)
    public static void ReleaseEnv(nint env) => ((delegate* unmanaged<nint, void>)T[92])(env);

    // 121: OrtStatus* CreateThreadingOptions(OrtThreadingOptions** out)
    public static nint CreateThreadingOptions(nint* options) =>
        ((delegate* unmanaged<nint*, nint>)T[121])(options);

    // 122: void ReleaseThreadingOptions(OrtThreadingOptions* input)
    public static void ReleaseThreadingOptions(nint options) => ((delegate* unmanaged<nint, void>)T[122])(options);

    // 147: OrtStatus* SetGlobalIntraOpNumThreads(OrtThreadingOptions* tp_options, int intra_op_num_threads)
    public static nint SetGlobalIntraOpNumThreads(nint options, int threads) =>
        ((delegate* unmanaged<nint, int, nint>)T[147])(options, threads);

    // 148: OrtStatus* SetGlobalInterOpNumThreads(OrtThreadingOptions* tp_options, int inter_op_num_threads)
    public static nint SetGlobalInterOpNumThreads(nint options, int threads) =>
        ((delegate* unmanaged<nint, int, nint>)T[148])(options, threads);

    // 149: OrtStatus* SetGlobalSpinControl(OrtThreadingOptions* tp_options, int allow_spinning)
    public static nint SetGlobalSpinControl(nint options, int allowSpinning) =>
        ((delegate* unmanaged<nint, int, nint>)T[149])(options, allowSpinning);

    // 151: OrtStatus* CreateEnvWithCustomLoggerAndGlobalThreadPools(OrtLoggingFunction logging_function,
    //          void* logger_param, OrtLoggingLevel log_severity_level, const char* logid,
    //          const OrtThreadingOptions* tp_options, OrtEnv** out)
    public static nint CreateEnvWithCustomLoggerAndGlobalThreadPools(
        delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void> logger, nint loggerParam, int level,
        byte* logId, nint threadingOptions, nint* env) =>
        ((delegate* unmanaged<delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void>, nint, int, byte*, nint, nint*, nint>)T[151])(
            logger, loggerParam, level, logId, threadingOptions, env);

    // 4: OrtStatus* CreateEnvWithCustomLogger(OrtLoggingFunction logging_function, void* logger_param,
    //        OrtLoggingLevel log_severity_level, const char* logid, OrtEnv** out)
    public static nint CreateEnvWithCustomLogger(
        delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void> logger, nint loggerParam, int level,
        byte* logId, nint* env) =>
        ((delegate* unmanaged<delegate* unmanaged<nint, int, byte*, byte*, byte*, byte*, void>, nint, int, byte*, nint*, nint>)T[4])(
            logger, loggerParam, level, logId, env);

    // 125: OrtStatus* GetAvailableProviders(char*** out_ptr, int* provider_length)
    public static nint GetAvailableProviders(byte*** providers, int* count) =>
        ((delegate* unmanaged<byte***, int*, nint>)T[125])(providers, count);

    // 126: OrtStatus* ReleaseAvailableProviders(char** ptr, int providers_length)
    public static nint ReleaseAvailableProviders(byte** providers, int count) =>
        ((delegate* unmanaged<byte**, int, nint>)T[126])(providers, count);

    // ---- OrtSessionOptions ----

    // 10: OrtStatus* CreateSessionOptions(OrtSessionOptions** options)
    public static nint CreateSessionOptions(nint* options) => ((delegate* unmanaged<nint*, nint>)T[10])(options);

    // 100: void ReleaseSessionOptions(OrtSessionOptions* input)
    public static void ReleaseSessionOptions(nint options) => ((delegate* unmanaged<nint, void>)T[100])(options);

    // 13: OrtStatus* SetSessionExecutionMode(OrtSessionOptions* options, ExecutionMode execution_mode)
    public static nint SetSessionExecutionMode(nint options, int mode) =>
        ((delegate* unmanaged<nint, int, nint>)T[13])(options, mode);

    // 22: OrtStatus* SetSessionLogSeverityLevel(OrtSessionOptions* options, int session_log_severity_level)
    public static nint SetSessionLogSeverityLevel(nint options, int level) =>
        ((delegate* unmanaged<nint, int, nint>)T[22])(options, level);

    // 23: OrtStatus* SetSessionGraphOptimizationLevel(OrtSessionOptions* options,
    //         GraphOptimizationLevel graph_optimization_level)
    public static nint SetSessionGraphOptimizationLevel(nint options, int level) =>
        ((delegate* unmanaged<nint, int, nint>)T[23])(options, level);

    // 24: OrtStatus* SetIntraOpNumThreads(OrtSessionOptions* options, int intra_op_num_threads)
    public static nint SetIntraOpNumThreads(nint options, int threads) =>
        ((delegate* unmanaged<nint, int, nint>)T[24])(options, threads);

    // 25: OrtStatus* SetInterOpNumThreads(OrtSessionOptions* options, int inter_op_num_threads)
    public static nint SetInterOpNumThreads(nint options, int threads) =>
        ((delegate* unmanaged<nint, int, nint>)T[25])(options, threads);

    // 120: OrtStatus* DisablePerSessionThreads(OrtSessionOptions* options)
    public static nint DisablePerSessionThreads(nint options) => ((delegate* unmanaged<nint, nint>)T[120])(options);

    // 130: OrtStatus* AddSessionConfigEntry(OrtSessionOptions* options, const char* config_key,
    //          const char* config_value)
    public static nint AddSessionConfigEntry(nint options, byte* key, byte* value) =>
        ((delegate* unmanaged<nint, byte*, byte*, nint>)T[130])(options, key, value);

    // 204: OrtStatus* SessionOptionsAppendExecutionProvider_CUDA_V2(OrtSessionOptions* options,
    //          const OrtCUDAProviderOptionsV2* cuda_options)
    public static nint SessionOptionsAppendExecutionProviderCudaV2(nint options, nint cudaOptions) =>
        ((delegate* unmanaged<nint, nint, nint>)T[204])(options, cudaOptions);

    // 205: OrtStatus* CreateCUDAProviderOptions(OrtCUDAProviderOptionsV2** out)
    public static nint CreateCudaProviderOptions(nint* cudaOptions) =>
        ((delegate* unmanaged<nint*, nint>)T[205])(cudaOptions);

    // 206: OrtStatus* UpdateCUDAProviderOptions(OrtCUDAProviderOptionsV2* cuda_options,
    //          const char* const* provider_options_keys, const char* const* provider_options_values, size_t num_keys)
    public static nint UpdateCudaProviderOptions(nint cudaOptions, byte** keys, byte** values, nuint count) =>
        ((delegate* unmanaged<nint, byte**, byte**, nuint, nint>)T[206])(cudaOptions, keys, values, count);

    // 208: void ReleaseCUDAProviderOptions(OrtCUDAProviderOptionsV2* input)
    public static void ReleaseCudaProviderOptions(nint cudaOptions) =>
        ((delegate* unmanaged<nint, void>)T[208])(cudaOptions);
}
