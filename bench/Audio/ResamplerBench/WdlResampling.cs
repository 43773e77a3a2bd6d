using NAudio.Wave.SampleProviders;

namespace SpeechServe.Bench.Audio;

/// <summary>A whole mono signal through NAudio's <see cref="WdlResamplingSampleProvider"/>, as the server would use it.</summary>
internal static class WdlResampling
{
    private const int ReadSamples = 4096;

    public static float[] Process(float[] input, int inputRate, int outputRate)
    {
        var resampler = new WdlResamplingSampleProvider(new FloatArraySampleProvider(input, inputRate), outputRate);
        var output = new float[((long)input.Length * outputRate / inputRate) + ReadSamples];
        var written = 0;
        while (true)
        {
            var read = resampler.Read(output.AsSpan(written, Math.Min(ReadSamples, output.Length - written)));
            if (read == 0)
            {
                return output[..written];
            }

            written += read;
        }
    }
}
