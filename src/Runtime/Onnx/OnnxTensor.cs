using SpeechServe.Runtime.Onnx.Native;

namespace SpeechServe.Runtime.Onnx;

/// <summary>
/// A dense tensor (<c>OrtValue</c>): either a view over managed memory that ONNX Runtime reads and writes in place,
/// or a result that ONNX Runtime allocated.
/// </summary>
/// <remarks>
/// A tensor created by <see cref="Create{T}(Memory{T}, ReadOnlySpan{long})"/> pins its memory and holds the pin until
/// it is disposed (or finalised): ONNX Runtime works on that memory directly, nothing is copied, and changes made to
/// the array between runs are seen by the next run. Spans from <see cref="GetData{T}"/> point at the tensor's memory
/// and are valid only until the tensor is disposed; copy with <see cref="ToArray{T}"/> to keep data longer.
/// </remarks>
public sealed unsafe class OnnxTensor : IDisposable
{
    private readonly OrtValueHandle _handle;
    private TensorElementType _elementType;
    private long[]? _shape;
    private long _elementCount = -1;
    private nint _data;

    internal OnnxTensor(OrtValueHandle handle) => _handle = handle;

    private OnnxTensor(OrtValueHandle handle, TensorElementType elementType, long[] shape, long elementCount, nint data)
    {
        _handle = handle;
        _elementType = elementType;
        _shape = shape;
        _elementCount = elementCount;
        _data = data;
    }

    /// <summary>Element type, read from ONNX Runtime once.</summary>
    public TensorElementType ElementType
    {
        get
        {
            EnsureTypeAndShape();
            return _elementType;
        }
    }

    /// <summary>Dimensions, read from ONNX Runtime once.</summary>
    public ReadOnlySpan<long> Shape
    {
        get
        {
            EnsureTypeAndShape();
            return _shape;
        }
    }

    /// <summary>Number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            EnsureTypeAndShape();
            return _elementCount;
        }
    }

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _handle.IsClosed;

    internal OrtValueHandle Handle => _handle;

    /// <summary>Creates a tensor over <paramref name="data"/> without copying it; see the remarks on the class.</summary>
    /// <param name="data">Elements in row-major order; pinned until the tensor is disposed.</param>
    /// <param name="shape">Dimensions; their product must equal the length of <paramref name="data"/>.</param>
    public static OnnxTensor Create<T>(T[] data, params ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return Create(new Memory<T>(data), shape);
    }

    /// <summary>Creates a tensor over <paramref name="data"/> without copying it; see the remarks on the class.</summary>
    /// <param name="data">Elements in row-major order; pinned until the tensor is disposed.</param>
    /// <param name="shape">Dimensions; their product must equal the length of <paramref name="data"/>.</param>
    public static OnnxTensor Create<T>(Memory<T> data, params ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var elementType = TensorElementTypes.Of<T>();
        var count = ElementCountOf(shape);
        if (count != data.Length)
        {
            throw new ArgumentException(
                $"The shape [{string.Join(',', shape.ToArray())}] holds {count} elements but the buffer has {data.Length}.",
                nameof(shape));
        }

        var dims = shape.ToArray();
        var pin = data.Pin();
        try
        {
            nint value;
            fixed (long* dimsPointer = dims)
            {
                OrtStatus.Check(OrtApi.CreateTensorWithDataAsOrtValue(
                    OrtCpu.MemoryInfo.DangerousGetHandle(), pin.Pointer, (nuint)((long)data.Length * sizeof(T)),
                    dimsPointer, (nuint)dims.Length, (int)elementType, &value));
            }

            return new OnnxTensor(new OrtValueHandle(value, pin), elementType, dims, count, (nint)pin.Pointer);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The elements as a span over the tensor's own memory (the pinned managed memory, or ONNX Runtime's buffer for a
    /// result). Valid until the tensor is disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="ElementType"/>.</exception>
    public Span<T> GetData<T>()
        where T : unmanaged
    {
        var handle = LiveHandle();
        var expected = TensorElementTypes.Of<T>();
        if (ElementType != expected)
        {
            throw new InvalidOperationException($"The tensor holds {ElementType} elements, not {expected}.");
        }

        if (_data == 0)
        {
            void* data;
            OrtStatus.Check(OrtApi.GetTensorMutableData(handle, &data));
            _data = (nint)data;
        }

        GC.KeepAlive(this);
        return new Span<T>((void*)_data, checked((int)_elementCount));
    }

    /// <summary>Copies the elements into a new array.</summary>
    public T[] ToArray<T>()
        where T : unmanaged => GetData<T>().ToArray();

    /// <summary>Releases the native value and then the pin on managed memory; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    /// <inheritdoc />
    public override string ToString() => IsDisposed
        ? "OnnxTensor (disposed)"
        : $"OnnxTensor {ElementType}[{string.Join(',', Shape.ToArray())}]";

    internal nint LiveHandle()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return _handle.DangerousGetHandle();
    }

    internal static long ElementCountOf(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
            count = checked(count * dim);
        }

        return count;
    }

    private void EnsureTypeAndShape()
    {
        if (_shape is not null)
        {
            return;
        }

        var (elementType, shape) = TensorTypeAndShape.ReadValue(LiveHandle());
        _elementType = elementType;
        _elementCount = ElementCountOf(shape);
        _shape = shape;
        GC.KeepAlive(this);
    }
}
