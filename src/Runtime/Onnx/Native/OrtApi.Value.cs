namespace SpeechServe.Runtime.Onnx.Native;

// Value, memory, allocator and IO-binding slots of the OrtApi table; indices MUST match onnxruntime_c_api.h.
internal static unsafe partial class OrtApi
{
    // ---- OrtValue ----

    // 49: OrtStatus* CreateTensorWithDataAsOrtValue(const OrtMemoryInfo* info, void* p_data, size_t p_data_len,
    //         const int64_t* shape, size_t shape_len, ONNXTensorElementDataType type, OrtValue** out)
    //     (p_data stays owned by the caller and must outlive the value)
    public static nint CreateTensorWithDataAsOrtValue(
        nint memoryInfo, void* data, nuint byteLength, long* shape, nuint rank, int elementType, nint* value) =>
        ((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)T[49])(
            memoryInfo, data, byteLength, shape, rank, elementType, value);

    // 51: OrtStatus* GetTensorMutableData(OrtValue* value, void** out)
    public static nint GetTensorMutableData(nint value, void** data) =>
        ((delegate* unmanaged<nint, void**, nint>)T[51])(value, data);

    // 67: OrtStatus* GetValueType(const OrtValue* value, enum ONNXType* out)
    public static nint GetValueType(nint value, int* type) => ((delegate* unmanaged<nint, int*, nint>)T[67])(value, type);

    // 96: void ReleaseValue(OrtValue* input)
    public static void ReleaseValue(nint value) => ((delegate* unmanaged<nint, void>)T[96])(value);

    // ---- OrtMemoryInfo and OrtAllocator ----

    // 69: OrtStatus* CreateCpuMemoryInfo(enum OrtAllocatorType type, enum OrtMemType mem_type, OrtMemoryInfo** out)
    public static nint CreateCpuMemoryInfo(int allocatorType, int memoryType, nint* memoryInfo) =>
        ((delegate* unmanaged<int, int, nint*, nint>)T[69])(allocatorType, memoryType, memoryInfo);

    // 94: void ReleaseMemoryInfo(OrtMemoryInfo* input)
    public static void ReleaseMemoryInfo(nint memoryInfo) => ((delegate* unmanaged<nint, void>)T[94])(memoryInfo);

    // 76: OrtStatus* AllocatorFree(OrtAllocator* ort_allocator, void* p)
    public static nint AllocatorFree(nint allocator, void* pointer) =>
        ((delegate* unmanaged<nint, void*, nint>)T[76])(allocator, pointer);

    // 78: OrtStatus* GetAllocatorWithDefaultOptions(OrtAllocator** out)   (process-wide; never released)
    public static nint GetAllocatorWithDefaultOptions(nint* allocator) =>
        ((delegate* unmanaged<nint*, nint>)T[78])(allocator);

    // ---- OrtIoBinding ----

    // 133: OrtStatus* RunWithBinding(OrtSession* session, const OrtRunOptions* run_options,
    //          const OrtIoBinding* binding_ptr)
    public static nint RunWithBinding(nint session, nint runOptions, nint binding) =>
        ((delegate* unmanaged<nint, nint, nint, nint>)T[133])(session, runOptions, binding);

    // 134: OrtStatus* CreateIoBinding(OrtSession* session, OrtIoBinding** out)
    public static nint CreateIoBinding(nint session, nint* binding) =>
        ((delegate* unmanaged<nint, nint*, nint>)T[134])(session, binding);

    // 135: void ReleaseIoBinding(OrtIoBinding* input)
    public static void ReleaseIoBinding(nint binding) => ((delegate* unmanaged<nint, void>)T[135])(binding);

    // 136: OrtStatus* BindInput(OrtIoBinding* binding_ptr, const char* name, const OrtValue* val_ptr)
    public static nint BindInput(nint binding, byte* name, nint value) =>
        ((delegate* unmanaged<nint, byte*, nint, nint>)T[136])(binding, name, value);

    // 137: OrtStatus* BindOutput(OrtIoBinding* binding_ptr, const char* name, const OrtValue* val_ptr)
    public static nint BindOutput(nint binding, byte* name, nint value) =>
        ((delegate* unmanaged<nint, byte*, nint, nint>)T[137])(binding, name, value);

    // 138: OrtStatus* BindOutputToDevice(OrtIoBinding* binding_ptr, const char* name,
    //          const OrtMemoryInfo* mem_info_ptr)
    public static nint BindOutputToDevice(nint binding, byte* name, nint memoryInfo) =>
        ((delegate* unmanaged<nint, byte*, nint, nint>)T[138])(binding, name, memoryInfo);

    // 140: OrtStatus* GetBoundOutputValues(const OrtIoBinding* binding_ptr, OrtAllocator* allocator,
    //          OrtValue*** output, size_t* output_count)   (the array is freed with the allocator)
    public static nint GetBoundOutputValues(nint binding, nint allocator, nint** values, nuint* count) =>
        ((delegate* unmanaged<nint, nint, nint**, nuint*, nint>)T[140])(binding, allocator, values, count);

    // 141: void ClearBoundInputs(OrtIoBinding* binding_ptr)
    public static void ClearBoundInputs(nint binding) => ((delegate* unmanaged<nint, void>)T[141])(binding);

    // 142: void ClearBoundOutputs(OrtIoBinding* binding_ptr)
    public static void ClearBoundOutputs(nint binding) => ((delegate* unmanaged<nint, void>)T[142])(binding);
}
