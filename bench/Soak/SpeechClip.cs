using SpeechServe.Runtime.Audio;

namespace SpeechServe.Bench.Soak;

/// <summary>A WAV file as uploaded by REST clients and as the 16-bit PCM a stream sends.</summary>
internal sealed record SpeechClip(string Name, byte[] Wav, byte[] Pcm16, int SampleRate)
{
    /// <summary>Every <c>*.wav</c> of <paramref name="directory"/>, in name order.</summary>
    public static IReadOnlyList<SpeechClip> LoadAll(string directory)
    {
        var clips = Directory.GetFiles(directory, "*.wav").Order(StringComparer.Ordinal).Select(Load).ToList();
        return clips.Count > 0 ? clips : throw new ArgumentException($"no .wav files in {directory}");
    }

    private static SpeechClip Load(string path)
    {
        var wav = File.ReadAllBytes(path);
        var audio = WavParser.Parse(wav);
        var pcm = new byte[audio.Samples.Length * 2];
        for (var i = 0; i < audio.Samples.Length; i++)
        {
            BitConverter.TryWriteBytes(pcm.AsSpan(i * 2), (short)Math.Clamp(Math.Round(audio.Samples[i] * 32768.0), short.MinValue, short.MaxValue));
        }

        return new SpeechClip(Path.GetFileName(path), wav, pcm, audio.Format.SampleRate);
    }
}
