using System.Runtime.InteropServices;
using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// Decodes a stream's finals with the lexicon-constrained search (docs/decoding.md): keeps the current
/// segment's log-probs, up to <see cref="MaxFrames"/> of them, and decodes them as one sentence when the
/// segment ends. A longer segment (possible only with long segment limits or endpointing off) gets no text
/// from here and keeps its greedy final.
/// </summary>
internal sealed class SegmentFinalDecoder(LexiconBeamSearch search, TokenVocabulary vocabulary, int maxFrames, HotwordBoosts? hotwords = null)
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

    /// <summary>The search's tokens for the segment so far (frames from the segment's start), or null when it is longer than <see cref="MaxFrames"/>.</summary>
    public IReadOnlyList<AlignedToken>? Decode() =>
        _frames <= maxFrames ? search.Decode(CollectionsMarshal.AsSpan(_logProbs), vocabulary.Count, hotwords).Tokens : null;

    /// <summary>Forgets the segment: the next frames start a new one.</summary>
    public void StartSegment()
    {
        _logProbs.Clear();
        _frames = 0;
    }
}
