namespace SpeechServe.Runtime.Onnx.Native;

// Session, run and type-information slots of the OrtApi table; indices MUST match onnxruntime_c_api.h.
internal static unsafe partial class OrtApi
{
    // ---- OrtSession ----

    // 7: OrtStatus* CreateSession(const OrtEnv* env, const ORTCHAR_T* model_path, const OrtSessionOptions* options,
    //        OrtSession** out)            (ORTCHAR_T is char, UTF-8, off Windows)
    public static nint CreateSession(nint env, byte* modelPath, nint options, nint* session) =>
        ((delegate* unmanaged<nint, byte*, nint, nint*, nint>)T[7])(env, modelPath, options, session);

    // 8: OrtStatus* CreateSessionFromArray(const OrtEnv* env, const void* model_data, size_t model_data_length,
    //        const OrtSessionOptions* options, OrtSession** out)
    public static nint CreateSessionFromArray(nint env, void* model, nuint length, nint options, nint* session) =>
        ((delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)T[8])(env, model, length, options, session);

    // 95: void ReleaseSession(OrtSession* input)
    public static void ReleaseSession(nint session) => ((delegate* unmanaged<nint, void>)T[95])(session);

    // 9: OrtStatus* Run(OrtSession* session, const OrtRunOptions* run_options, const char* const* input_names,
    //        const OrtValue* const* inputs, size_t input_len, const char* const* output_names,
    //        size_t output_names_len, OrtValue** outputs)
    public static nint Run(
        nint session, nint runOptions, byte** inputNames, nint* inputs, nuint inputCount, byte** outputNames,
        nuint outputCount, nint* outputs) =>
        ((delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)T[9])(
            session, runOptions, inputNames, inputs, inputCount, outputNames, outputCount, outputs);

    // 30: OrtStatus* SessionGetInputCount(const OrtSession* session, size_t* out)
    public static nint SessionGetInputCount(nint session, nuint* count) =>
        ((delegate* unmanaged<nint, nuint*, nint>)T[30])(session, count);

    // 31: OrtStatus* SessionGetOutputCount(const OrtSession* session, size_t* out)
    public static nint SessionGetOutputCount(nint session, nuint* count) =>
        ((delegate* unmanaged<nint, nuint*, nint>)T[31])(session, count);

    // 33: OrtStatus* SessionGetInputTypeInfo(const OrtSession* session, size_t index, OrtTypeInfo** type_info)
    public static nint SessionGetInputTypeInfo(nint session, nuint index, nint* typeInfo) =>
        ((delegate* unmanaged<nint, nuint, nint*, nint>)T[33])(session, index, typeInfo);

    // 34: OrtStatus* SessionGetOutputTypeInfo(const OrtSession* session, size_t index, OrtTypeInfo** type_info)
    public static nint SessionGetOutputTypeInfo(nint session, nuint index, nint* typeInfo) =>
        ((delegate* unmanaged<nint, nuint, nint*, nint>)T[34])(session, index, typeInfo);

    // 36: OrtStatus* SessionGetInputName(const OrtSession* session, size_t index, OrtAllocator* allocator,
    //         char** value)
    public static nint SessionGetInputName(nint session, nuint index, nint allocator, byte** name) =>
        ((delegate* unmanaged<nint, nuint, nint, byte**, nint>)T[36])(session, index, allocator, name);

    // 37: OrtStatus* SessionGetOutputName(const OrtSession* session, size_t index, OrtAllocator* allocator,
    //         char** value)
    public static nint SessionGetOutputName(nint session, nuint index, nint allocator, byte** name) =>
        ((delegate* unmanaged<nint, nuint, nint, byte**, nint>)T[37])(session, index, allocator, name);

    // ---- OrtRunOptions ----

    // 39: OrtStatus* CreateRunOptions(OrtRunOptions** out)
    public static nint CreateRunOptions(nint* options) => ((delegate* unmanaged<nint*, nint>)T[39])(options);

    // 97: void ReleaseRunOptions(OrtRunOptions* input)
    public static void ReleaseRunOptions(nint options) => ((delegate* unmanaged<nint, void>)T[97])(options);

    // 41: OrtStatus* RunOptionsSetRunLogSeverityLevel(OrtRunOptions* options, int log_severity_level)
    public static nint RunOptionsSetRunLogSeverityLevel(nint options, int level) =>
        ((delegate* unmanaged<nint, int, nint>)T[41])(options, level);

    // 42: OrtStatus* RunOptionsSetRunTag(OrtRunOptions* options, const char* run_tag)
    public static nint RunOptionsSetRunTag(nint options, byte* tag) =>
        ((delegate* unmanaged<nint, byte*, nint>)T[42])(options, tag);

    // 45: OrtStatus* RunOptionsGetRunTag(const OrtRunOptions* options, const char** run_tag)
    public static nint RunOptionsGetRunTag(nint options, byte** tag) =>
        ((delegate* unmanaged<nint, byte**, nint>)T[45])(options, tag);

    // 46: OrtStatus* RunOptionsSetTerminate(OrtRunOptions* options)
    public static nint RunOptionsSetTerminate(nint options) => ((delegate* unmanaged<nint, nint>)T[46])(options);

    // 47: OrtStatus* RunOptionsUnsetTerminate(OrtRunOptions* options)
    public static nint RunOptionsUnsetTerminate(nint options) => ((delegate* unmanaged<nint, nint>)T[47])(options);

    // ---- OrtTypeInfo and OrtTensorTypeAndShapeInfo ----

    // 55: OrtStatus* CastTypeInfoToTensorInfo(const OrtTypeInfo* type_info, const OrtTensorTypeAndShapeInfo** out)
    //     (the result is owned by type_info; never released on its own)
    public static nint CastTypeInfoToTensorInfo(nint typeInfo, nint* tensorInfo) =>
        ((delegate* unmanaged<nint, nint*, nint>)T[55])(typeInfo, tensorInfo);

    // 56: OrtStatus* GetOnnxTypeFromTypeInfo(const OrtTypeInfo* type_info, enum ONNXType* out)
    public static nint GetOnnxTypeFromTypeInfo(nint typeInfo, int* type) =>
        ((delegate* unmanaged<nint, int*, nint>)T[56])(typeInfo, type);

    // 98: void ReleaseTypeInfo(OrtTypeInfo* input)
    public static void ReleaseTypeInfo(nint typeInfo) => ((delegate* unmanaged<nint, void>)T[98])(typeInfo);

    // 60: OrtStatus* GetTensorElementType(const OrtTensorTypeAndShapeInfo* info, enum ONNXTensorElementDataType* out)
    public static nint GetTensorElementType(nint info, int* type) =>
        ((delegate* unmanaged<nint, int*, nint>)T[60])(info, type);

    // 61: OrtStatus* GetDimensionsCount(const OrtTensorTypeAndShapeInfo* info, size_t* out)
    public static nint GetDimensionsCount(nint info, nuint* count) =>
        ((delegate* unmanaged<nint, nuint*, nint>)T[61])(info, count);

    // 62: OrtStatus* GetDimensions(const OrtTensorTypeAndShapeInfo* info, int64_t* dim_values,
    //         size_t dim_values_length)
    public static nint GetDimensions(nint info, long* dimensions, nuint count) =>
        ((delegate* unmanaged<nint, long*, nuint, nint>)T[62])(info, dimensions, count);

    // 63: OrtStatus* GetSymbolicDimensions(const OrtTensorTypeAndShapeInfo* info, const char* dim_params[],
    //         size_t dim_params_length)   (the strings are owned by info)
    public static nint GetSymbolicDimensions(nint info, byte** names, nuint count) =>
        ((delegate* unmanaged<nint, byte**, nuint, nint>)T[63])(info, names, count);

    // 65: OrtStatus* GetTensorTypeAndShape(const OrtValue* value, OrtTensorTypeAndShapeInfo** out)
    public static nint GetTensorTypeAndShape(nint value, nint* info) =>
        ((delegate* unmanaged<nint, nint*, nint>)T[65])(value, info);

    // 99: void ReleaseTensorTypeAndShapeInfo(OrtTensorTypeAndShapeInfo* input)
    public static void ReleaseTensorTypeAndShapeInfo(nint info) => ((delegate* unmanaged<nint, void>)T[99])(info);
}
