using System.Text;

namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// Turns an aligned <see cref="CtcHypothesis"/> into text, words and segments. A word starts at the first
/// frame of its first token and ends after the last frame of its last token; tokens that begin with
/// <c>▁</c> start a new word. Times are in seconds, rounded to milliseconds. Segments break at pauses of at least <see cref="TimestampOptions.SegmentPause"/>
/// and before they would exceed <see cref="TimestampOptions.MaxSegmentDuration"/>.
/// </summary>
public static class TranscriptBuilder
{
    /// <summary>Builds the transcript of <paramref name="hypothesis"/>.</summary>
    public static Transcript Build(CtcHypothesis hypothesis, TokenVocabulary vocabulary, TimestampOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(vocabulary);
        options ??= new TimestampOptions();
        var limit = options.AudioDuration ?? (hypothesis.FrameCount * options.FrameDuration);
        var words = Words(hypothesis.Tokens, vocabulary, options.FrameDuration, limit);
        return new Transcript(vocabulary.Detokenize(hypothesis.TokenIds), words, Segments(words, options), hypothesis.Tokens);
    }

    private static List<TimedWord> Words(IReadOnlyList<AlignedToken> tokens, TokenVocabulary vocabulary, double frame, double limit)
    {
        var words = new List<TimedWord>();
        var text = new StringBuilder();
        int start = 0, end = 0;
        void Flush()
        {
            if (text.Length > 0)
            {
                var startSeconds = Seconds(start, frame, limit);
                words.Add(new TimedWord(text.ToString(), startSeconds, Math.Max(startSeconds, Seconds(end, frame, limit))));
                text.Clear();
            }
        }

        foreach (var token in tokens)
        {
            // Every boundary marker inside the token ends the current word.
            var parts = vocabulary[token.Id].Split(TokenVocabulary.WordBoundary[0]);
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    Flush();
                }

                if (parts[i].Length == 0)
                {
                    continue;
                }

                if (text.Length == 0)
                {
                    start = token.StartFrame;
                }

                text.Append(parts[i]);
                end = token.EndFrame;
            }
        }

        Flush();
        return words;
    }

    // Milliseconds: frame arithmetic such as 94 x 0.04 gives 3.7600000000000002, which clients would print.
    private static double Seconds(int frames, double frame, double limit) => Math.Round(Math.Min(frames * frame, limit), 3);

    private static List<TimedSegment> Segments(List<TimedWord> words, TimestampOptions options)
    {
        var segments = new List<TimedSegment>();
        var current = new List<TimedWord>();
        void Flush()
        {
            if (current.Count > 0)
            {
                segments.Add(new TimedSegment(segments.Count, string.Join(' ', current.Select(w => w.Text)), current[0].Start, current[^1].End, current.ToArray()));
                current.Clear();
            }
        }

        foreach (var word in words)
        {
            if (current.Count > 0
                && (word.Start - current[^1].End >= options.SegmentPause || word.End - current[0].Start > options.MaxSegmentDuration))
            {
                Flush();
            }

            current.Add(word);
        }

        Flush();
        return segments;
    }
}
