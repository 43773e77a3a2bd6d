namespace SpeechServe.Runtime.Batching;

/// <summary>
/// Chooses which queued requests run together when more are queued than fit one batch: the oldest, so that none
/// waits for ever, and those nearest to it in length, so that short clips do not run through a long one's padding
/// (a batch runs as long as its longest element). When all fit, or lengths are unknown, the batch takes them in order.
/// </summary>
internal static class LengthBucketing
{
    /// <summary>Moves up to <paramref name="count"/> items of <paramref name="queue"/> (oldest first) to <paramref name="batch"/>, keeping their order.</summary>
    /// <param name="queue">Waiting items, oldest first.</param>
    /// <param name="count">The most items to take.</param>
    /// <param name="lengthOf">An item's length (for audio, its frames); null takes the oldest items.</param>
    /// <param name="batch">Receives the items taken.</param>
    public static void Take<T>(List<T> queue, int count, Func<T, int>? lengthOf, List<T> batch)
    {
        if (queue.Count <= count || lengthOf is null)
        {
            var taken = Math.Min(count, queue.Count);
            batch.AddRange(queue.GetRange(0, taken));
            queue.RemoveRange(0, taken);
            return;
        }

        var oldest = lengthOf(queue[0]);
        var nearest = Enumerable.Range(0, queue.Count)
            .OrderBy(i => Math.Abs((long)lengthOf(queue[i]) - oldest))
            .ThenBy(i => i)
            .Take(count)
            .Order()
            .ToList();
        foreach (var index in nearest)
        {
            batch.Add(queue[index]);
        }

        for (var i = nearest.Count - 1; i >= 0; i--)
        {
            queue.RemoveAt(nearest[i]);
        }
    }
}
