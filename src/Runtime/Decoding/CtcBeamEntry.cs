namespace SpeechServe.Runtime.Decoding;

/// <summary>
/// A label prefix as a node of a tree: its last token and the prefix before it. Prefixes that have been in
/// the beam are registered with their parent, so one label sequence is always one object and the beam can
/// key on references (a prefix that left the beam and comes back is found again, not duplicated).
/// </summary>
internal sealed class CtcPrefix(CtcPrefix? parent, int token, WordState? word = null)
{
    private Dictionary<int, CtcPrefix>? _children;

    public static CtcPrefix CreateRoot(WordState? word = null) => new(null, -1, word);

    /// <summary>The last frame whose search step started with this prefix in the beam, or -1.</summary>
    public int BeamFrame { get; set; } = -1;

    public CtcPrefix? Parent { get; } = parent;

    /// <summary>The last token, or -1 for the empty prefix.</summary>
    public int Token { get; } = token;

    /// <summary>The word state in a lexicon search (a function of the prefix, so computed once per prefix); null otherwise.</summary>
    public WordState? Word { get; } = word;

    public CtcPrefix Child(int token) => RegisteredChild(token) ?? new CtcPrefix(this, token);

    /// <summary>The child with <paramref name="token"/> if it has been in the beam, else null.</summary>
    public CtcPrefix? RegisteredChild(int token) =>
        _children is not null && _children.TryGetValue(token, out var child) ? child : null;

    public void Register()
    {
        if (Parent is not null)
        {
            Parent._children ??= [];
            Parent._children.TryAdd(Token, this);
        }
    }
}

/// <summary>An immutable list (newest first) of finished tokens on a best path.</summary>
internal sealed class CtcTiming(CtcTiming? previous, AlignedToken token)
{
    public CtcTiming? Previous { get; } = previous;

    public AlignedToken Token { get; } = token;
}

/// <summary>
/// One prefix in the beam at one frame: the summed probability of all its alignments ending in blank and in
/// its last token (for ranking), and the single best alignment of each kind (for timestamps).
/// </summary>
internal sealed class CtcBeamEntry(CtcPrefix prefix)
{
    public CtcPrefix Prefix { get; } = prefix;

    public double Blank { get; set; } = double.NegativeInfinity;

    public double NonBlank { get; set; } = double.NegativeInfinity;

    public double Total => CtcLogProbs.LogAdd(Blank, NonBlank);

    /// <summary>Best path ending in blank: its score and its (all finished) tokens.</summary>
    public double BestBlank { get; private set; } = double.NegativeInfinity;

    public CtcTiming? BlankPath { get; private set; }

    /// <summary>Best path ending in the last token: its score, the tokens before it, and where the last token's run began.</summary>
    public double BestNonBlank { get; private set; } = double.NegativeInfinity;

    public CtcTiming? NonBlankHistory { get; private set; }

    public int NonBlankStart { get; private set; }

    public void OfferBlankPath(double score, CtcTiming? path)
    {
        if (score > BestBlank)
        {
            BestBlank = score;
            BlankPath = path;
        }
    }

    /// <summary>Offers the best path of <paramref name="from"/> ending in its last token, closed at frame <paramref name="t"/>, as a path ending in blank.</summary>
    private void OfferClosedPath(double score, CtcBeamEntry from, int t)
    {
        // Closing a path allocates, so only a better one is closed.
        if (score > BestBlank)
        {
            BestBlank = score;
            BlankPath = from.ClosedNonBlankPath(t);
        }
    }

    public void OfferNonBlankPath(double score, CtcTiming? history, int start)
    {
        if (score > BestNonBlank)
        {
            BestNonBlank = score;
            NonBlankHistory = history;
            NonBlankStart = start;
        }
    }

    /// <summary>Adds the paths of <paramref name="from"/> (same prefix, previous frame) on which the prefix stays the same at frame <paramref name="t"/>: a blank, or its last token repeated.</summary>
    public void AddStay(CtcBeamEntry from, ReadOnlySpan<float> row, int t)
    {
        double blank = row[0];
        Blank = CtcLogProbs.LogAdd(Blank, from.Total + blank);
        OfferBlankPath(from.BestBlank + blank, from.BlankPath);
        if (from.BestNonBlank > double.NegativeInfinity)
        {
            OfferClosedPath(from.BestNonBlank + blank, from, t);
        }

        var last = from.Prefix.Token;
        if (last > 0)
        {
            NonBlank = CtcLogProbs.LogAdd(NonBlank, from.NonBlank + row[last]);
            OfferNonBlankPath(from.BestNonBlank + row[last], from.NonBlankHistory, from.NonBlankStart);
        }
    }

    /// <summary>
    /// Adds the paths of <paramref name="from"/> (the parent prefix, previous frame) on which it grows by this
    /// entry's last token, of log-prob <paramref name="logProb"/>, at frame <paramref name="t"/>. The same token
    /// again needs a blank in between.
    /// </summary>
    public void AddExtension(CtcBeamEntry from, double logProb, int t)
    {
        if (Prefix.Token == from.Prefix.Token)
        {
            NonBlank = CtcLogProbs.LogAdd(NonBlank, from.Blank + logProb);
            OfferNonBlankPath(from.BestBlank + logProb, from.BlankPath, t);
            return;
        }

        NonBlank = CtcLogProbs.LogAdd(NonBlank, from.Total + logProb);
        if (from.BestBlank >= from.BestNonBlank)
        {
            OfferNonBlankPath(from.BestBlank + logProb, from.BlankPath, t);
        }
        else if (from.BestNonBlank + logProb > BestNonBlank)
        {
            OfferNonBlankPath(from.BestNonBlank + logProb, from.ClosedNonBlankPath(t), t);
        }
    }

    /// <summary>The tokens of the best path ending in blank so far (the last token's run closed at <paramref name="frame"/>).</summary>
    public CtcTiming? ClosedNonBlankPath(int frame) =>
        new(NonBlankHistory, new AlignedToken(Prefix.Token, NonBlankStart, frame));

    /// <summary>The best alignment's tokens after <paramref name="frames"/> frames.</summary>
    public IReadOnlyList<AlignedToken> BestTokens(int frames)
    {
        var path = BestNonBlank > BestBlank ? ClosedNonBlankPath(frames) : BlankPath;
        var tokens = new List<AlignedToken>();
        for (var node = path; node is not null; node = node.Previous)
        {
            tokens.Add(node.Token);
        }

        tokens.Reverse();
        return tokens;
    }
}
