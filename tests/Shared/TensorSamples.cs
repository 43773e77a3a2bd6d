using System.Buffers.Binary;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Tests.Support;

/// <summary>One small tensor of every dtype, with distinct recognisable bytes.</summary>
internal static class TensorSamples
{
    public static IReadOnlyList<NamedTensor> OnePerDType() =>
    [
        NamedTensor.FromValues<byte>("u8", TensorDType.UInt8, [3], [0, 127, 255]),
        NamedTensor.FromValues<sbyte>("i8", TensorDType.Int8, [2, 2], [-128, -1, 0, 127]),
        NamedTensor.FromValues<short>("i16", TensorDType.Int16, [3], [short.MinValue, 300, short.MaxValue]),
        NamedTensor.FromValues<int>("i32", TensorDType.Int32, [2], [int.MinValue, 70000]),
        NamedTensor.FromValues<long>("i64", TensorDType.Int64, [1, 2], [long.MinValue, 1L << 40]),
        NamedTensor.FromValues<Half>("f16", TensorDType.Float16, [2], [(Half)1.5f, (Half)(-2.25f)]),
        NamedTensor.FromFloat32("f32", [2, 1, 2], [0.5f, -1f, 3.25f, float.Epsilon]),
        NamedTensor.FromValues<double>("f64", TensorDType.Float64, [2], [Math.PI, -1e300]),
        NamedTensor.FromValues<byte>("bool", TensorDType.Bool, [4], [0, 1, 1, 0]),
        NamedTensor.FromValues<ushort>("bf16", TensorDType.BFloat16, [2], [BFloat16Bits(1.5f), BFloat16Bits(-0.375f)]),
        NamedTensor.FromFloat32("scalar", [], [42f]),
        NamedTensor.FromFloat32("empty", [0, 5], []),
    ];

    /// <summary>The bfloat16 bits of a float that bfloat16 represents exactly.</summary>
    public static ushort BFloat16Bits(float value) => (ushort)(BitConverter.SingleToUInt32Bits(value) >> 16);

    /// <summary>Little-endian bytes of float32 values.</summary>
    public static byte[] Float32Bytes(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static void AssertSameTensors(IReadOnlyList<NamedTensor> expected, IReadOnlyList<NamedTensor> actual)
    {
        Assert.Equal(expected.Select(t => t.Name), actual.Select(t => t.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].DType, actual[i].DType);
            Assert.Equal(expected[i].Shape.ToArray(), actual[i].Shape.ToArray());
            Assert.Equal(expected[i].Data.ToArray(), actual[i].Data.ToArray());
        }
    }
}
