namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// <see cref="GreedyCtcDecoder"/> over a stream: log-prob frames arrive in chunks, and <see cref="Result"/>
/// after any chunk equals the whole-utterance greedy decoding of every frame so far. One instance per stream.
/// </summary>
/// <param name="vocabularySize">CTC output width V.</param>
public sealed class StreamingGreedyCtcDecoder(int vocabularySize)
{
    private readonly List<AlignedToken> _finished = [];
    private int _previous;
    private int _runStart;
    private double _score;

    /// <summary>Frames consumed so far.</summary>
    public int FrameCount { get; private set; }

    /// <summary>Tokens whose run has ended; they can no longer change.</summary>
    public IReadOnlyList<AlignedToken> StableTokens => _finished;

    /// <summary>The token whose run is still open at the last frame (it may still grow), or null after a blank.</summary>
    public AlignedToken? OpenToken => _previous != 0 ? new AlignedToken(_previous, _runStart, FrameCount) : null;

    /// <summary>The decoding of every frame so far (the last token may still grow).</summary>
    public CtcHypothesis Result
    {
        get
        {
            var tokens = new List<AlignedToken>(_finished.Count + 1);
            tokens.AddRange(_finished);
            if (_previous != 0)
            {
                tokens.Add(new AlignedToken(_previous, _runStart, FrameCount));
            }

            return new CtcHypothesis(tokens, _score, FrameCount);
        }
    }

    /// <summary>Consumes whole frames of row-major log-probs <c>[frames, V]</c>.</summary>
    /// <exception cref="ArgumentException">The chunk is not a whole number of frames.</exception>
    public void Accept(ReadOnlySpan<float> logProbs)
    {
        var frames = CtcLogProbs.FrameCount(logProbs, vocabularySize, nameof(logProbs));
        for (var i = 0; i < frames; i++)
        {
            var t = FrameCount + i;
            var row = logProbs.Slice(i * vocabularySize, vocabularySize);
            var symbol = CtcLogProbs.ArgMax(row);
            _score += row[symbol];
            if (symbol == _previous)
            {
                continue;
            }

            if (_previous != 0)
            {
                _finished.Add(new AlignedToken(_previous, _runStart, t));
            }

            _previous = symbol;
            _runStart = t;
        }

        FrameCount += frames;
    }
}
