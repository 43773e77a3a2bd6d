using NAudio.Codecs;
using NAudio.Wave;

namespace SpeechServe.Runtime.Audio;

/// <summary>
/// G.711 mu-law or A-law bytes as float samples, decoded by NAudio's <see cref="MuLawDecoder"/> or
/// <see cref="ALawDecoder"/>. NAudio's <see cref="WaveExtensionMethods.ToSampleProvider"/> converts PCM and IEEE
/// float only; this is its counterpart for G.711, shaped like NAudio's own converters.
/// </summary>
internal sealed class G711SampleProvider : ISampleProvider
{
    private readonly IWaveProvider _source;
    private readonly bool _aLaw;
    private byte[] _bytes = [];
    private short[] _linear = [];

    /// <param name="source">Mu-law or A-law audio.</param>
    public G711SampleProvider(IWaveProvider source)
    {
        _source = source;
        _aLaw = source.WaveFormat.Encoding == WaveFormatEncoding.ALaw;
        if (!_aLaw && source.WaveFormat.Encoding != WaveFormatEncoding.MuLaw)
        {
            throw new ArgumentException("The source must be mu-law or A-law.", nameof(source));
        }

        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, source.WaveFormat.Channels);
    }

    /// <inheritdoc />
    public WaveFormat WaveFormat { get; }

    /// <inheritdoc />
    public int Read(Span<float> buffer)
    {
        if (_bytes.Length < buffer.Length)
        {
            _bytes = new byte[buffer.Length];
            _linear = new short[buffer.Length];
        }

        var count = _source.Read(_bytes.AsSpan(0, buffer.Length));
        if (_aLaw)
        {
            ALawDecoder.Decode(_bytes.AsSpan(0, count), _linear);
        }
        else
        {
            MuLawDecoder.Decode(_bytes.AsSpan(0, count), _linear);
        }

        for (var i = 0; i < count; i++)
        {
            buffer[i] = _linear[i] / 32768f;
        }

        return count;
    }
}
