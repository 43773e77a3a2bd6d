using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Features;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// A whole recording transcribed through a <see cref="StreamingSession"/>: the encoder runs chunk by chunk, the
/// endpointing cuts segments at pauses, and each segment is decoded alone, so the work and memory past the samples
/// themselves are bounded by a segment, not the recording. How long audio is transcribed (docs/api.md).
/// </summary>
public static class SegmentedTranscription
{
    // Audio fed to the session per call: one second at 16 kHz.
    private const int FeedSamples = LogMelSpec.SampleRate;

    /// <summary>The session's finals that hold text, each as soon as its endpoint is decoded; <paramref name="samples"/> are 16 kHz mono.</summary>
    public static IEnumerable<StreamingResult> Finals(StreamingSession session, float[] samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(samples);
        for (var start = 0; start < samples.Length; start += FeedSamples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var result in session.Accept(samples.AsSpan(start, Math.Min(FeedSamples, samples.Length - start))))
            {
                if (result is { Kind: StreamingResultKind.Final, Text.Length: > 0 })
                {
                    yield return result;
                }
            }
        }

        foreach (var result in session.Finish())
        {
            if (result is { Kind: StreamingResultKind.Final, Text.Length: > 0 })
            {
                yield return result;
            }
        }
    }

    /// <summary>
    /// The transcript of <paramref name="finals"/>: one segment per final, with its words (from its tokens' frames)
    /// and its confidence figures; the text is the segments' texts joined by single spaces.
    /// </summary>
    /// <param name="finals">Finals with text, in order.</param>
    /// <param name="vocabulary">The CTC vocabulary.</param>
    /// <param name="duration">Seconds of audio: no time goes past it.</param>
    public static Transcript Build(IEnumerable<StreamingResult> finals, TokenVocabulary vocabulary, double duration)
    {
        ArgumentNullException.ThrowIfNull(finals);
        ArgumentNullException.ThrowIfNull(vocabulary);
        var timestamps = new TimestampOptions { FrameDuration = StreamingResult.FrameSeconds, AudioDuration = duration };
        var segments = new List<TimedSegment>();
        var tokens = new List<AlignedToken>();
        foreach (var final in finals)
        {
            var frames = final.Tokens.Count == 0 ? 0 : final.Tokens[^1].EndFrame;
            var words = TranscriptBuilder.Build(new CtcHypothesis(final.Tokens, 0, frames), vocabulary, timestamps).Words;
            if (words.Count == 0)
            {
                continue;
            }

            segments.Add(new TimedSegment(segments.Count, string.Join(' ', words.Select(w => w.Text)), words[0].Start, words[^1].End, words)
            {
                AverageLogProbability = final.AverageLogProbability,
                NoSpeechProbability = final.NoSpeechProbability,
            });
            tokens.AddRange(final.Tokens);
        }

        return new Transcript(string.Join(' ', segments.Select(s => s.Text)), segments.SelectMany(s => s.Words).ToList(), segments, tokens);
    }
}
