namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>Reads an <c>OrtTensorTypeAndShapeInfo</c>: element type, dimensions and symbolic dimension names.</summary>
internal static unsafe class TensorTypeAndShape
{
    /// <summary>Reads the element type and dimensions (-1 where a dimension is not fixed).</summary>
    public static (TensorElementType ElementType, long[] Shape) Read(nint info)
    {
        int type;
        OrtStatus.Check(OrtApi.GetTensorElementType(info, &type));
        nuint rank;
        OrtStatus.Check(OrtApi.GetDimensionsCount(info, &rank));
        var shape = new long[(int)rank];
        fixed (long* dims = shape)
        {
            OrtStatus.Check(OrtApi.GetDimensions(info, dims, rank));
        }

        return ((TensorElementType)type, shape);
    }

    /// <summary>Reads the symbolic name of each dimension; an empty string where a dimension has none.</summary>
    public static string[] ReadSymbolicDimensions(nint info, int rank)
    {
        if (rank == 0)
        {
            return [];
        }

        var pointers = new nint[rank];
        fixed (nint* names = pointers)
        {
            OrtStatus.Check(OrtApi.GetSymbolicDimensions(info, (byte**)names, (nuint)rank));
        }

        var result = new string[rank];
        for (var i = 0; i < rank; i++)
        {
            result[i] = pointers[i] == 0 ? string.Empty : Utf8Z.Read((byte*)pointers[i]);
        }

        return result;
    }

    /// <summary>Reads the type and shape of a tensor value.</summary>
    public static (TensorElementType ElementType, long[] Shape) ReadValue(nint value)
    {
        nint raw;
        OrtStatus.Check(OrtApi.GetTensorTypeAndShape(value, &raw));
        using var info = new OrtTensorTypeAndShapeInfoHandle(raw);
        return Read(raw);
    }
}
