using System.Diagnostics;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Features;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Runtime.Tests.Fixtures;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Streaming;

/// <summary>
/// <see cref="SegmentedTranscription"/> over the reference model shipped in <c>models/</c> and espeak-ng speech with
/// pauses: audio read as it is decoded gives the segments of the whole buffer, and is never read ahead of the session.
/// </summary>
[Collection(OnnxTestGroup.Name)]
public sealed class SegmentedTranscriptionTests(OnnxFixture fixture) : IDisposable
{
    private const int Rate = LogMelSpec.SampleRate;
    private readonly string _directory = Directory.CreateTempSubdirectory("speechserve-segmented-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TranscribeAsync_AudioReadInOddPieces_SegmentsOfTheWholeBufferAndNeverMoreThanASecondAhead()
    {
        using var model = SpeechModel.Load(Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small"), fixture.Sessions, useLanguageModel: false);
        var recognizer = new StreamingRecognizer(model.Encoder, model.Vocabulary);
        var samples = await SpeechWithPausesAsync(repeats: 3);

        // The whole-buffer path: every sample in memory, fed a second at a time.
        var wholeSession = recognizer.Open(model.BaseAdapter, Rate);
        var wholeFinals = new List<StreamingResult>();
        for (var start = 0; start < samples.Length; start += Rate)
        {
            wholeFinals.AddRange(wholeSession.Accept(samples.AsSpan(start, Math.Min(Rate, samples.Length - start))).Where(HasText));
        }

        wholeFinals.AddRange(wholeSession.Finish().Where(HasText));
        var expected = SegmentedTranscription.Build(wholeFinals, model.Vocabulary, samples.Length / (double)Rate);

        var session = recognizer.Open(model.BaseAdapter, Rate);
        var reader = new WatchedSampleReader(samples, piece: 4_999, session);
        var actual = await SegmentedTranscription.TranscribeAsync(session, reader, model.Vocabulary);

        Assert.True(expected.Segments.Count >= 3, $"{expected.Segments.Count} segments: the pauses did not cut the audio");
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(
            expected.Segments.Select(s => (s.Text, s.Start, s.End, s.AverageLogProbability, s.NoSpeechProbability)),
            actual.Segments.Select(s => (s.Text, s.Start, s.End, s.AverageLogProbability, s.NoSpeechProbability)));
        Assert.Equal(samples.Length, reader.SamplesRead);
        Assert.InRange(reader.MostAhead, 1, Rate);
    }

    private static bool HasText(StreamingResult result) => result is { Kind: StreamingResultKind.Final, Text.Length: > 0 };

    // Three espeak-ng sentences, each followed by 1.5 s of silence, repeated.
    private async Task<float[]> SpeechWithPausesAsync(int repeats)
    {
        string[] sentences =
        [
            "Please schedule a follow up visit for next Tuesday.",
            "The weather service expects heavy rain along the coast tonight.",
            "Turn left at the second light and park behind the bakery.",
        ];
        var pause = new float[3 * Rate / 2];
        var audio = new List<float>();
        var spoken = new List<float[]>();
        foreach (var sentence in sentences)
        {
            spoken.Add(await SpeakAsync(sentence));
        }

        for (var r = 0; r < repeats; r++)
        {
            foreach (var sentence in spoken)
            {
                audio.AddRange(sentence);
                audio.AddRange(pause);
            }
        }

        return [.. audio];
    }

    private async Task<float[]> SpeakAsync(string sentence)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.wav");
        using (var process = Process.Start(new ProcessStartInfo("espeak-ng", ["-w", path, sentence]) { UseShellExecute = false })!)
        {
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
        }

        return AudioDecoder.DecodeWav(await File.ReadAllBytesAsync(path)).Samples;
    }

    /// <summary>Samples handed out in pieces of at most <c>piece</c>, noting how far the reads ran ahead of what the session took.</summary>
    private sealed class WatchedSampleReader(float[] samples, int piece, StreamingSession session) : AudioSampleReader
    {
        private int _offset;

        public long MostAhead { get; private set; }

        public override AudioContainer Container => AudioContainer.Wav;

        public override string OriginalFormat => "pcm_f32le";

        public override int? OriginalSampleRate => Rate;

        public override int? OriginalChannels => 1;

        protected override ValueTask<int> ReadCoreAsync(Memory<float> destination, CancellationToken cancellationToken)
        {
            var count = Math.Min(Math.Min(piece, destination.Length), samples.Length - _offset);
            samples.AsSpan(_offset, count).CopyTo(destination.Span);
            _offset += count;
            MostAhead = Math.Max(MostAhead, _offset - (long)Math.Round(session.AudioSeconds * Rate));
            return ValueTask.FromResult(count);
        }
    }
}
