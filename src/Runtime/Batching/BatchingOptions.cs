namespace SpeechServe.Runtime.Batching;

/// <summary>How concurrent requests are gathered into one model run.</summary>
public sealed record BatchingOptions
{
    /// <summary>
    /// Batches that run at once, each on its own worker. On the CPU each run uses the intra-op threads of ONNX
    /// Runtime's pool, so workers times intra-op threads about the processor count keeps every core busy.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>The most requests one run takes.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// How long the first request of a batch waits for announced requests (<see cref="DynamicBatcher{TRequest, TResult}.Announce"/>)
    /// to join it; requests already queued join without it, and with none announced the batch does not wait.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The most requests waiting for a run; more are refused with <see cref="BatchQueueFullException"/>.</summary>
    public int MaxQueueLength { get; init; } = 256;

    /// <summary>Checks the values and says which one is wrong.</summary>
    public void Validate()
    {
        if (Workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "Workers must be at least 1.");
        }

        if (MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "MaxBatchSize must be at least 1.");
        }

        if (MaxWait < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWait), MaxWait, "MaxWait must not be negative.");
        }

        if (MaxQueueLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueueLength), MaxQueueLength, "MaxQueueLength must be at least 1.");
        }
    }
}

/// <summary>The batch queue is full: the caller should retry later.</summary>
public sealed class BatchQueueFullException(int capacity)
    : Exception($"The inference queue is full ({capacity} requests waiting); retry later.")
{
    /// <summary>The queue length that was reached.</summary>
    public int Capacity { get; } = capacity;
}
