namespace SpeechServe.Export.Tests.Onnx;

/// <summary>
/// Plain-loop reference implementations of the operators the sample graphs use, row-major, with
/// double accumulation. They define the expected outputs a runtime is checked against.
/// </summary>
public static class ReferenceKernels
{
    /// <summary>[m, k] x [k, n] -> [m, n].</summary>
    public static float[] MatMul(IReadOnlyList<float> a, IReadOnlyList<float> b, int m, int k, int n)
    {
        var y = new float[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                {
                    sum += (double)a[(i * k) + p] * b[(p * n) + j];
                }

                y[(i * n) + j] = (float)sum;
            }
        }

        return y;
    }

    /// <summary>Adds a row vector of length <c>bias.Count</c> to every row.</summary>
    public static float[] AddRow(IReadOnlyList<float> x, IReadOnlyList<float> bias) =>
        x.Select((v, i) => v + bias[i % bias.Count]).ToArray();

    /// <summary>max(x, 0).</summary>
    public static float[] Relu(IReadOnlyList<float> x) => x.Select(v => Math.Max(v, 0f)).ToArray();

    /// <summary>x for x &gt;= 0, alpha * x otherwise.</summary>
    public static float[] LeakyRelu(IReadOnlyList<float> x, float alpha) => x.Select(v => v >= 0 ? v : alpha * v).ToArray();

    /// <summary>Rows of a [rows, width] table picked by index.</summary>
    public static float[] GatherRows(IReadOnlyList<float> table, int width, IReadOnlyList<long> indices) =>
        indices.SelectMany(i => Enumerable.Range((int)i * width, width).Select(j => table[j])).ToArray();

    /// <summary>Softmax over consecutive groups of <paramref name="width"/> elements (the last axis).</summary>
    public static float[] SoftmaxLastAxis(IReadOnlyList<float> x, int width)
    {
        var y = new float[x.Count];
        for (var row = 0; row < x.Count / width; row++)
        {
            var slice = Enumerable.Range(row * width, width).Select(i => (double)x[i]).ToArray();
            var max = slice.Max();
            var exps = slice.Select(v => Math.Exp(v - max)).ToArray();
            var sum = exps.Sum();
            for (var j = 0; j < width; j++)
            {
                y[(row * width) + j] = (float)(exps[j] / sum);
            }
        }

        return y;
    }

    /// <summary>Layer normalisation over the last axis of length <c>scale.Count</c>.</summary>
    public static float[] LayerNormLastAxis(IReadOnlyList<float> x, IReadOnlyList<float> scale, IReadOnlyList<float> bias, double epsilon)
    {
        var width = scale.Count;
        var y = new float[x.Count];
        for (var row = 0; row < x.Count / width; row++)
        {
            var slice = Enumerable.Range(row * width, width).Select(i => (double)x[i]).ToArray();
            var mean = slice.Average();
            var variance = slice.Select(v => (v - mean) * (v - mean)).Average();
            var inv = 1.0 / Math.Sqrt(variance + epsilon);
            for (var j = 0; j < width; j++)
            {
                y[(row * width) + j] = (float)((((slice[j] - mean) * inv) * scale[j]) + bias[j]);
            }
        }

        return y;
    }

    /// <summary>
    /// 1-D convolution, stride 1: x [batch, cin, time], w [cout, cin, kernel], b [cout], zero
    /// padding <paramref name="pad"/> on both sides; output [batch, cout, time + 2 * pad - kernel + 1].
    /// </summary>
    public static float[] Conv1d(IReadOnlyList<float> x, IReadOnlyList<float> w, IReadOnlyList<float> b, int batch, int cin, int time, int cout, int kernel, int pad)
    {
        var outTime = time + (2 * pad) - kernel + 1;
        var y = new float[batch * cout * outTime];
        for (var n = 0; n < batch; n++)
        {
            for (var o = 0; o < cout; o++)
            {
                for (var t = 0; t < outTime; t++)
                {
                    double sum = b[o];
                    for (var c = 0; c < cin; c++)
                    {
                        for (var k = 0; k < kernel; k++)
                        {
                            var source = t + k - pad;
                            if (source >= 0 && source < time)
                            {
                                sum += (double)x[(((n * cin) + c) * time) + source] * w[(((o * cin) + c) * kernel) + k];
                            }
                        }
                    }

                    y[(((n * cout) + o) * outTime) + t] = (float)sum;
                }
            }
        }

        return y;
    }
}
