namespace SpeechServe.Serving.Tests.Support;

/// <summary>
/// Checks that hold whatever the weights: durations, ordered timestamps within the audio, and text that is
/// the segments' (and the words') text joined by spaces.
/// </summary>
internal static class TranscriptAssert
{
    /// <summary>Slack for timestamps that end on the last encoder frame (40 ms).</summary>
    private const double FrameSlack = 0.04;

    public static void WellFormed(VerboseTranscription transcription, double expectedDuration, double durationTolerance, bool expectWords)
    {
        Assert.Equal("transcribe", transcription.Task);
        Assert.InRange(transcription.Duration, expectedDuration - durationTolerance, expectedDuration + durationTolerance);
        Assert.Equal(transcription.Text, transcription.Text.Trim());

        var segments = transcription.Segments;
        Assert.Equal(transcription.Text, string.Join(' ', segments.Select(s => s.Text)));
        Assert.Equal(Enumerable.Range(0, segments.Count), segments.Select(s => s.Id));
        Spans(segments.Select(s => (s.Start, s.End)).ToList(), transcription.Duration, "segment");

        if (!expectWords)
        {
            Assert.Null(transcription.Words);
            return;
        }

        Assert.NotNull(transcription.Words);
        var words = transcription.Words;
        Assert.All(words, w => Assert.False(string.IsNullOrWhiteSpace(w.Word) || w.Word.Contains(' ', StringComparison.Ordinal), $"word '{w.Word}'"));
        Assert.Equal(transcription.Text, string.Join(' ', words.Select(w => w.Word)));
        Spans(words.Select(w => (w.Start, w.End)).ToList(), transcription.Duration, "word");
        foreach (var segment in segments)
        {
            Assert.Contains(words, w => w.Start >= segment.Start && w.End <= segment.End);
        }
    }

    /// <summary>Each span has 0 &lt;= start &lt;= end &lt;= duration, and starts never go back.</summary>
    public static void Spans(IReadOnlyList<(double Start, double End)> spans, double duration, string what)
    {
        var previousStart = 0.0;
        for (var i = 0; i < spans.Count; i++)
        {
            var (start, end) = spans[i];
            Assert.True(start >= 0 && start <= end && end <= duration + FrameSlack,
                $"{what} {i}: [{start}, {end}] is not an ordered span within [0, {duration}]");
            Assert.True(start >= previousStart, $"{what} {i} starts at {start}, before the previous one ({previousStart})");
            previousStart = start;
        }
    }
}
