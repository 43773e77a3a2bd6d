using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>
/// A spoken sentence synthesised with espeak-ng (English unless another voice is given), rendered at any sample rate with ffmpeg and written as WAV in
/// any encoding or compressed with ffmpeg, all at test time in a scratch directory.
/// </summary>
internal sealed class TestSpeech
{
    /// <summary>What espeak-ng says; the random-weight model will not transcribe it faithfully.</summary>
    public const string Sentence = "Please schedule a follow up visit for next Tuesday morning. The patient reports mild headaches.";

    private readonly string _directory;
    private readonly string _sourceWav;
    private readonly ConcurrentDictionary<int, Lazy<Task<float[]>>> _mono = new();

    private TestSpeech(string directory, string sourceWav)
    {
        _directory = directory;
        _sourceWav = sourceWav;
    }

    /// <summary>Synthesises <paramref name="sentence"/> (by default <see cref="Sentence"/>) with the espeak-ng <paramref name="voice"/> into <paramref name="directory"/>.</summary>
    public static async Task<TestSpeech> CreateAsync(string directory, string sentence = Sentence, string voice = "en")
    {
        var source = Path.Combine(directory, $"espeak-{Guid.NewGuid():N}.wav");
        await ExternalTool.RunCheckedAsync("espeak-ng", ["-v", voice, "-w", source, sentence]);
        return new TestSpeech(directory, source);
    }

    /// <summary>The sentence as mono samples in [-1, 1] at <paramref name="sampleRate"/>.</summary>
    public Task<float[]> MonoAsync(int sampleRate) =>
        _mono.GetOrAdd(sampleRate, rate => new Lazy<Task<float[]>>(() => RenderAsync(rate))).Value;

    /// <summary>The sentence as a WAV file; a second channel, when asked for, carries the signal at half level.</summary>
    public async Task<byte[]> WavAsync(int sampleRate, int channels = 1, SampleEncoding encoding = SampleEncoding.PcmSigned16, bool extensible = false)
    {
        var mono = await MonoAsync(sampleRate);
        var interleaved = new float[mono.Length * channels];
        for (var i = 0; i < mono.Length; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                interleaved[(i * channels) + c] = c == 0 ? mono[i] : 0.5f * mono[i];
            }
        }

        return new WavBuilder(sampleRate, channels, encoding) { Extensible = extensible }.Build(interleaved);
    }

    /// <summary>The length of the sentence in seconds.</summary>
    public async Task<double> DurationAsync() => (await MonoAsync(16_000)).Length / 16_000.0;

    /// <summary>The sentence compressed by ffmpeg into <paramref name="extension"/> with the given codec arguments.</summary>
    public async Task<byte[]> CompressedAsync(string extension, params string[] codecArguments)
    {
        var output = Path.Combine(_directory, $"speech-{Guid.NewGuid():N}.{extension}");
        await ExternalTool.RunCheckedAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", _sourceWav, .. codecArguments, output]);
        return await File.ReadAllBytesAsync(output);
    }

    private async Task<float[]> RenderAsync(int sampleRate)
    {
        var raw = Path.Combine(_directory, $"{Path.GetFileNameWithoutExtension(_sourceWav)}-{sampleRate}.f32");
        await ExternalTool.RunCheckedAsync(
            "ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-y", "-i", _sourceWav, "-ac", "1", "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-f", "f32le", raw]);
        var bytes = await File.ReadAllBytesAsync(raw);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
