using System.Buffers;
using System.Runtime.InteropServices;

namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>Base of the SafeHandles that each own exactly one ONNX Runtime object; zero is the invalid value.</summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;
}

/// <summary>Owns an <c>OrtEnv</c>.</summary>
internal sealed class OrtEnvHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseEnv(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtThreadingOptions</c>.</summary>
internal sealed class OrtThreadingOptionsHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseThreadingOptions(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtSessionOptions</c>.</summary>
internal sealed class OrtSessionOptionsHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseSessionOptions(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtCUDAProviderOptionsV2</c>.</summary>
internal sealed class OrtCudaProviderOptionsHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseCudaProviderOptions(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtSession</c>.</summary>
internal sealed class OrtSessionHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseSession(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtRunOptions</c>.</summary>
internal sealed class OrtRunOptionsHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseRunOptions(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtIoBinding</c>.</summary>
internal sealed class OrtIoBindingHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseIoBinding(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtTypeInfo</c>.</summary>
internal sealed class OrtTypeInfoHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseTypeInfo(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtTensorTypeAndShapeInfo</c>.</summary>
internal sealed class OrtTensorTypeAndShapeInfoHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}

/// <summary>Owns an <c>OrtMemoryInfo</c>.</summary>
internal sealed class OrtMemoryInfoHandle(nint handle) : OrtHandle(handle)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseMemoryInfo(handle);
        return true;
    }
}

/// <summary>
/// Owns an <c>OrtValue</c> and, for a tensor over managed memory, the pin that keeps that memory in place: the value
/// is released first and the memory unpinned after, so ONNX Runtime never sees memory that can move.
/// </summary>
internal sealed class OrtValueHandle : OrtHandle
{
    private MemoryHandle _pin;

    public OrtValueHandle(nint handle)
        : base(handle)
    {
    }

    public OrtValueHandle(nint handle, MemoryHandle pin)
        : base(handle) => _pin = pin;

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseValue(handle);
        _pin.Dispose();
        _pin = default;
        return true;
    }
}
