namespace SpeechServe.Runtime.Decoding;

/// <summary>The entries of the next frame of a beam search, one per prefix, in the order they were first reached.</summary>
internal sealed class CtcBeamCandidates(int capacity)
{
    private readonly Dictionary<CtcPrefix, CtcBeamEntry> _byPrefix = new(capacity);

    public List<CtcBeamEntry> Entries { get; } = new(capacity);

    /// <summary>The entry of <paramref name="prefix"/>, created empty on first use.</summary>
    public CtcBeamEntry Get(CtcPrefix prefix)
    {
        if (!_byPrefix.TryGetValue(prefix, out var entry))
        {
            entry = new CtcBeamEntry(prefix);
            _byPrefix.Add(prefix, entry);
            Entries.Add(entry);
        }

        return entry;
    }
}
