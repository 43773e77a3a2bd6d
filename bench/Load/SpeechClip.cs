using SpeechServe.Runtime.Audio;

namespace SpeechServe.Bench.Load;

/// <summary>One WAV file of the benchmark's speech: its bytes as uploaded and its mono samples.</summary>
internal sealed record SpeechClip(string Name, byte[] Wav, float[] Samples, int SampleRate)
{
    public double Seconds => (double)Samples.Length / SampleRate;

    public static SpeechClip Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var audio = WavParser.Parse(bytes);
        return new SpeechClip(Path.GetFileName(path), bytes, audio.Samples, audio.Format.SampleRate);
    }

    /// <summary>Every <c>*.wav</c> of a directory, in name order.</summary>
    public static IReadOnlyList<SpeechClip> ReadDirectory(string directory) =>
        [.. Directory.GetFiles(directory, "*.wav").Order(StringComparer.Ordinal).Select(Read)];
}
