namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>Process-wide CPU memory description and default allocator, created once on first use.</summary>
internal static unsafe class OrtCpu
{
    // enum OrtAllocatorType { OrtDeviceAllocator = 0, OrtArenaAllocator = 1 }; enum OrtMemType { OrtMemTypeDefault = 0 }
    private const int ArenaAllocator = 1;
    private const int MemTypeDefault = 0;

    private static readonly Lazy<OrtMemoryInfoHandle> LazyMemoryInfo = new(CreateMemoryInfo);
    private static readonly Lazy<nint> LazyAllocator = new(GetDefaultAllocator);

    /// <summary>Describes ordinary CPU memory: the memory of tensors over managed arrays and of CPU-bound outputs.</summary>
    public static OrtMemoryInfoHandle MemoryInfo => LazyMemoryInfo.Value;

    /// <summary>ONNX Runtime's default CPU allocator; owned by the runtime and never released.</summary>
    public static nint Allocator => LazyAllocator.Value;

    /// <summary>Frees memory ONNX Runtime allocated with <see cref="Allocator"/> (names, output arrays).</summary>
    public static void Free(void* pointer)
    {
        if (pointer != null)
        {
            OrtStatus.Check(OrtApi.AllocatorFree(Allocator, pointer));
        }
    }

    private static OrtMemoryInfoHandle CreateMemoryInfo()
    {
        nint info;
        OrtStatus.Check(OrtApi.CreateCpuMemoryInfo(ArenaAllocator, MemTypeDefault, &info));
        return new OrtMemoryInfoHandle(info);
    }

    private static nint GetDefaultAllocator()
    {
        nint allocator;
        OrtStatus.Check(OrtApi.GetAllocatorWithDefaultOptions(&allocator));
        return allocator;
    }
}
