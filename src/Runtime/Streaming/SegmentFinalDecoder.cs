using System.Runtime.InteropServices;
using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// Decodes a stream's finals with the lexicon-constrained search (docs/decoding.md): keeps the current
/// segment's log-probs, up to <see cref="MaxFrames"/> of them, and decodes them as one sentence when the
/// segment ends. A longer segment (possible only with long segment limits or endpointing off) gets no text
/// from here and keeps its greedy final.
/// </summary>
internal sealed class SegmentFinalDecoder(LexiconBeamSearch search, TokenVocabulary vocabulary, int maxFrames)
{
    private readonly List<float> _logProbs = [];
    private int _frames;

    /// <summary>The most frames of one segment kept.</summary>
    public int MaxFrames => maxFrames;

    /// <summary>Adds whole frames of row-major log-probs <c>[frames, V]</c> of the current segment.</summary>
    public void Accept(ReadOnlySpan<float> logProbs)
    {
        _frames += logProbs.Length / vocabulary.Count;
        if (_frames <= maxFrames)
        {
            _logProbs.AddRange(logProbs);
        }
    }

    /// <summary>The text of the segment so far, or null when it is longer than <see cref="MaxFrames"/>.</summary>
    public string? Decode() =>
        _frames <= maxFrames ? vocabulary.Detokenize(search.Decode(CollectionsMarshal.AsSpan(_logProbs), vocabulary.Count).TokenIds) : null;

    /// <summary>Forgets the segment: the next frames start a new one.</summary>
    public void StartSegment()
    {
        _logProbs.Clear();
        _frames = 0;
    }
}
