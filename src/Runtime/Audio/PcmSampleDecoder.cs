using NAudio.Wave;

namespace SpeechServe.Runtime.Audio;

/// <summary>
/// The one sample decoder of WAV uploads and of streamed audio frames: interleaved little-endian samples to mono
/// floats in [-1, 1], averaging the channels. PCM and IEEE float go through NAudio's sample converters
/// (<see cref="WaveExtensionMethods.ToSampleProvider"/>), G.711 through <see cref="G711SampleProvider"/>.
/// </summary>
internal static class PcmSampleDecoder
{
    // Samples converted per read: bounds the converters' buffers whatever the input's size.
    private const int ReadSamples = 4096;

    // NAudio's converters need a WaveFormat with a sample rate but do not use it.
    private const int NominalRate = 16_000;

    /// <summary>Decodes the whole frames of <paramref name="data"/>; a partial last frame is ignored.</summary>
    /// <param name="data">Interleaved samples.</param>
    /// <param name="encoding">Their encoding.</param>
    /// <param name="channels">Samples per frame.</param>
    /// <param name="firstFrame">The frame number of <paramref name="data"/>'s first frame in its file, for error messages.</param>
    /// <exception cref="AudioFormatException">A sample is NaN or infinite (<see cref="AudioErrorCode.NonFiniteSample"/>).</exception>
    public static float[] DecodeMono(ReadOnlyMemory<byte> data, SampleEncoding encoding, int channels, long firstFrame = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        var frameBytes = encoding.BytesPerSample() * channels;
        var output = new float[data.Length / frameBytes];
        using var stream = ByteMemory.AsStream(data[..(output.Length * frameBytes)]);
        var wave = new RawSourceWaveStream(stream, SourceFormat(encoding, channels));
        var samples = encoding is SampleEncoding.MuLaw or SampleEncoding.ALaw ? new G711SampleProvider(wave) : wave.ToSampleProvider();
        if (channels == 1)
        {
            for (var done = 0; done < output.Length;)
            {
                done += ReadExactly(samples, output.AsSpan(done, Math.Min(ReadSamples, output.Length - done)));
            }
        }
        else
        {
            Downmix(samples, channels, output);
        }

        EnsureFinite(output, firstFrame);
        return output;
    }

    private static void Downmix(ISampleProvider samples, int channels, float[] output)
    {
        var framesPerRead = Math.Max(1, ReadSamples / channels);
        var interleaved = new float[framesPerRead * channels];
        var scale = 1.0 / channels;
        for (var frame = 0; frame < output.Length;)
        {
            var frames = Math.Min(framesPerRead, output.Length - frame);
            var read = interleaved.AsSpan(0, frames * channels);
            ReadExactly(samples, read);
            for (var f = 0; f < frames; f++)
            {
                double sum = 0;
                foreach (var sample in read.Slice(f * channels, channels))
                {
                    sum += sample;
                }

                output[frame + f] = (float)(sum * scale);
            }

            frame += frames;
        }
    }

    private static int ReadExactly(ISampleProvider samples, Span<float> destination)
    {
        var read = samples.Read(destination);
        return read == destination.Length
            ? read
            : throw new InvalidOperationException($"The sample converter returned {read} of {destination.Length} samples held in memory.");
    }

    private static void EnsureFinite(float[] samples, long firstFrame)
    {
        var index = Array.FindIndex(samples, s => !float.IsFinite(s));
        if (index >= 0)
        {
            throw new AudioFormatException(
                AudioErrorCode.NonFiniteSample,
                $"The audio holds a {(float.IsNaN(samples[index]) ? "NaN" : "infinite")} sample at frame {firstFrame + index}. Fix the audio so that every sample is a finite number in [-1, 1].");
        }
    }

    private static WaveFormat SourceFormat(SampleEncoding encoding, int channels)
    {
        var tag = encoding switch
        {
            SampleEncoding.IeeeFloat32 or SampleEncoding.IeeeFloat64 => WaveFormatEncoding.IeeeFloat,
            SampleEncoding.MuLaw => WaveFormatEncoding.MuLaw,
            SampleEncoding.ALaw => WaveFormatEncoding.ALaw,
            _ => WaveFormatEncoding.Pcm,
        };
        var blockAlign = encoding.BytesPerSample() * channels;
        return WaveFormat.CreateCustomFormat(tag, NominalRate, channels, NominalRate * blockAlign, blockAlign, encoding.BytesPerSample() * 8);
    }
}
