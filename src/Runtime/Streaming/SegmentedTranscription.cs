using System.Runtime.CompilerServices;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Features;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// A whole recording transcribed through a <see cref="StreamingSession"/>: the encoder runs chunk by chunk, the
/// endpointing cuts segments at pauses, and each segment is decoded alone; the audio is read a second at a time as it
/// is decoded, so the work and memory are bounded by a segment, not the recording (only the transcript grows). How
/// long audio is transcribed (docs/api.md).
/// </summary>
public static class SegmentedTranscription
{
    // Audio fed to the session per call: one second at 16 kHz.
    private const int FeedSamples = LogMelSpec.SampleRate;

    /// <summary>
    /// The session's finals that hold text, each as soon as its endpoint is decoded. <paramref name="audio"/> (16 kHz
    /// mono) is read one second at a time and each second fed to the session before the next is read, so the audio
    /// held at once is a second, however long the recording.
    /// </summary>
    /// <exception cref="AudioFormatException">The audio turned out malformed or too long while it was read.</exception>
    public static async IAsyncEnumerable<StreamingResult> FinalsAsync(
        StreamingSession session, AudioSampleReader audio, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(audio);
        var second = new float[FeedSamples];
        while (await audio.ReadBlockAsync(second, cancellationToken).ConfigureAwait(false) is var read and > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var result in session.Accept(second.AsSpan(0, read)))
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

    /// <summary>The transcript of all of <paramref name="audio"/> (16 kHz mono) through <paramref name="session"/>: <see cref="FinalsAsync"/> built by <see cref="Build"/>.</summary>
    /// <exception cref="AudioFormatException">The audio turned out malformed or too long while it was read.</exception>
    public static async Task<Transcript> TranscribeAsync(StreamingSession session, AudioSampleReader audio, TokenVocabulary vocabulary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var finals = new List<StreamingResult>();
        await foreach (var final in FinalsAsync(session, audio, cancellationToken).ConfigureAwait(false))
        {
            finals.Add(final);
        }

        // The finals are kept until the end because the audio's length, which bounds their times, is known only then.
        return Build(finals, vocabulary, audio.SamplesRead / (double)LogMelSpec.SampleRate);
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
