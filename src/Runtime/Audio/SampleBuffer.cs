namespace SpeechServe.Runtime.Audio;

/// <summary>A growing array of samples that is written in place: reserve room, fill it, commit what was filled.</summary>
internal sealed class SampleBuffer
{
    private float[] _samples = [];

    /// <summary>The samples committed so far.</summary>
    public int Count { get; private set; }

    /// <summary>Room for at least <paramref name="count"/> samples after the committed ones.</summary>
    public Memory<float> Reserve(int count)
    {
        if (Count + count > _samples.Length)
        {
            Array.Resize(ref _samples, (int)Math.Min(Array.MaxLength, Math.Max(2L * _samples.Length, (long)Count + count)));
        }

        return _samples.AsMemory(Count, count);
    }

    /// <summary>Counts <paramref name="count"/> samples written into the room last reserved.</summary>
    public void Commit(int count) => Count += count;

    /// <summary>The committed samples as an array of their exact length.</summary>
    public float[] ToArray() => Count == _samples.Length ? _samples : _samples.AsSpan(0, Count).ToArray();
}
