namespace SpeechServe.Runtime.Features;

/// <summary>
/// Power spectrum of a real signal whose length is a power of two, by a complex FFT of half the length
/// (even samples as the real part, odd samples as the imaginary part) and the usual split step. Double
/// precision; twiddles and the bit-reversal permutation are precomputed. Not thread-safe (scratch buffers).
/// </summary>
internal sealed class RealFft
{
    private readonly int _size;
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly double[] _twiddleCos;
    private readonly double[] _twiddleSin;
    private readonly double[] _splitCos;
    private readonly double[] _splitSin;
    private readonly double[] _re;
    private readonly double[] _im;

    public RealFft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The FFT size must be a power of two, at least 4.");
        }

        _size = size;
        _half = size / 2;
        var bits = System.Numerics.BitOperations.Log2((uint)_half);
        _bitReverse = new int[_half];
        for (var i = 0; i < _half; i++)
        {
            var reversed = 0;
            for (var b = 0; b < bits; b++)
            {
                reversed |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReverse[i] = reversed;
        }

        _twiddleCos = new double[_half / 2];
        _twiddleSin = new double[_half / 2];
        for (var k = 0; k < _half / 2; k++)
        {
            var angle = -2 * Math.PI * k / _half;
            (_twiddleSin[k], _twiddleCos[k]) = Math.SinCos(angle);
        }

        _splitCos = new double[_half + 1];
        _splitSin = new double[_half + 1];
        for (var k = 0; k <= _half; k++)
        {
            var angle = -2 * Math.PI * k / size;
            (_splitSin[k], _splitCos[k]) = Math.SinCos(angle);
        }

        _re = new double[_half];
        _im = new double[_half];
    }

    /// <summary>Writes |X[k]|² for k = 0 .. size/2 of the real input of length size.</summary>
    public void PowerSpectrum(ReadOnlySpan<double> input, Span<double> power)
    {
        if (input.Length != _size || power.Length != _half + 1)
        {
            throw new ArgumentException($"Expected {_size} inputs and {_half + 1} outputs.");
        }

        var re = _re;
        var im = _im;
        for (var i = 0; i < _half; i++)
        {
            var j = _bitReverse[i];
            re[j] = input[2 * i];
            im[j] = input[(2 * i) + 1];
        }

        for (var length = 2; length <= _half; length *= 2)
        {
            var halfLength = length / 2;
            var stride = _half / length;
            for (var start = 0; start < _half; start += length)
            {
                for (var k = 0; k < halfLength; k++)
                {
                    var wr = _twiddleCos[k * stride];
                    var wi = _twiddleSin[k * stride];
                    var a = start + k;
                    var b = a + halfLength;
                    var tr = (re[b] * wr) - (im[b] * wi);
                    var ti = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }

        for (var k = 0; k <= _half; k++)
        {
            // Z = FFT(even + i odd); E = (Z[k] + conj Z[N/2-k]) / 2, O = (Z[k] - conj Z[N/2-k]) / 2i, X = E + W^k O.
            var zr = re[k % _half];
            var zi = im[k % _half];
            var cr = re[(_half - k) % _half];
            var ci = -im[(_half - k) % _half];
            var er = (zr + cr) / 2;
            var ei = (zi + ci) / 2;
            var or = (zi - ci) / 2;
            var oi = -(zr - cr) / 2;
            var wr = _splitCos[k];
            var wi = _splitSin[k];
            var xr = er + ((or * wr) - (oi * wi));
            var xi = ei + ((or * wi) + (oi * wr));
            power[k] = (xr * xr) + (xi * xi);
        }
    }
}
