using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;

namespace SpeechServe.Runtime.Tests.Onnx;

[Collection(OnnxTestGroup.Name)]
public sealed class OnnxSessionRunTests(OnnxFixture fixture)
{
    [Fact]
    public void Run_AddMatMul_MatchesValuesComputedHere()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.AddMatMul);
        const int Batch = 3;
        var a = Enumerable.Range(0, Batch * 4).Select(i => i * 0.25f).ToArray();
        var b = Enumerable.Range(0, Batch * 4).Select(i => 1f - (i * 0.5f)).ToArray();
        using var ta = OnnxTensor.Create(a, Batch, 4);
        using var tb = OnnxTensor.Create(b, Batch, 4);

        using var results = session.Run(["a", "b"], [ta, tb], ["y", "sum"]);

        var y = results["y"];
        Assert.Equal(TensorElementType.Float, y.ElementType);
        Assert.Equal([Batch, 3L], y.Shape.ToArray());
        var expected = new float[Batch * 3];
        for (var r = 0; r < Batch; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var k = 0; k < 4; k++)
                {
                    expected[(r * 3) + c] += (a[(r * 4) + k] + b[(r * 4) + k]) * TestModels.AddMatMulWeight(k, c);
                }
            }
        }

        AssertClose(expected, y.GetData<float>());
        AssertClose(a.Zip(b, (x, z) => x + z).ToArray(), results[1].GetData<float>());
    }

    [Fact]
    public void Run_Softmax_MatchesValuesComputedHere()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Softmax);
        var x = Enumerable.Range(0, 2 * 3 * 5).Select(i => MathF.Sin(i) * 3).ToArray();
        using var input = OnnxTensor.Create(x, 2, 3, 5);

        using var results = session.Run(["x"], [input]);

        var probs = results["probs"].GetData<float>();
        Assert.Equal([2L, 3L, 5L], results[0].Shape.ToArray());
        for (var row = 0; row < 6; row++)
        {
            var logits = x.AsSpan(row * 5, 5);
            var max = logits.ToArray().Max();
            var sum = logits.ToArray().Sum(v => MathF.Exp(v - max));
            var expected = logits.ToArray().Select(v => MathF.Exp(v - max) / sum).ToArray();
            AssertClose(expected, probs.Slice(row * 5, 5));
        }
    }

    [Fact]
    public void Run_Dtypes_EachElementTypeComputesAndReportsItsType()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Dtypes);
        long[] i64 = [-5, 0, 1L << 40];
        int[] i32 = [-7, 2, 1000];
        sbyte[] i8 = [-128 + 1, 0, 127];
        byte[] u8 = [0, 128, 255];
        bool[] flags = [true, false, true];
        using var t64 = OnnxTensor.Create(i64, 3);
        using var t32 = OnnxTensor.Create(i32, 3);
        using var t8 = OnnxTensor.Create(i8, 3);
        using var tu8 = OnnxTensor.Create(u8, 3);
        using var tb = OnnxTensor.Create(flags, 3);

        using var results = session.Run(["i64", "i32", "i8", "u8", "flags"], [t64, t32, t8, tu8, tb]);

        Assert.Equal(["i64_out", "i32_out", "i8_out", "u8_out", "flags_out"], results.Names);
        Assert.Equal(TensorElementType.Int64, results["i64_out"].ElementType);
        Assert.Equal(i64.Select(v => v + 7), results["i64_out"].ToArray<long>());
        Assert.Equal(TensorElementType.Int32, results["i32_out"].ElementType);
        Assert.Equal(i32.Select(v => v * 3), results["i32_out"].ToArray<int>());
        Assert.Equal(TensorElementType.Int8, results["i8_out"].ElementType);
        Assert.Equal(i8.Select(v => (sbyte)-v), results["i8_out"].ToArray<sbyte>());
        Assert.Equal(TensorElementType.UInt8, results["u8_out"].ElementType);
        Assert.Equal(u8, results["u8_out"].ToArray<byte>());
        Assert.Equal(TensorElementType.Bool, results["flags_out"].ElementType);
        Assert.Equal(flags.Select(v => !v), results["flags_out"].ToArray<bool>());
    }

    [Fact]
    public void Run_InputArrayChangedBetweenRuns_SecondRunSeesTheChangeWithoutNewTensor()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        var x = new float[] { 1, 2, 3 };
        using var input = OnnxTensor.Create(x, 3);

        using (var first = session.Run(["x"], [input]))
        {
            Assert.Equal([2f, 4f, 6f], first[0].ToArray<float>());
        }

        x[0] = 10;
        x[2] = -1;
        input.GetData<float>()[1] = 0.5f;
        Assert.Equal(0.5f, x[1]);

        using var second = session.Run(["x"], [input]);
        Assert.Equal([20f, 1f, -2f], second[0].ToArray<float>());
    }

    [Fact]
    public void Run_IntoProvidedOutputTensor_WritesTheManagedArrayInPlace()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        var x = new float[] { 1.5f, -2, 4 };
        var y = new float[3];
        using var input = OnnxTensor.Create(x, 3);
        using var output = OnnxTensor.Create(y, 3);

        session.Run(["x"], [input], ["y"], [output]);

        Assert.Equal([3f, -4f, 8f], y);
    }

    [Fact]
    public void GetData_OutputReadAsWrongType_Throws()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        using var input = OnnxTensor.Create(new float[] { 1 }, 1);
        using var results = session.Run(["x"], [input]);

        Assert.Throws<InvalidOperationException>(() => results[0].GetData<long>());
    }

    [Fact]
    public void Run_DisposedInput_ThrowsObjectDisposed()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        var input = OnnxTensor.Create(new float[] { 1 }, 1);
        input.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(["x"], [input]));
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                MathF.Abs(expected[i] - actual[i]) <= tolerance * MathF.Max(1, MathF.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
