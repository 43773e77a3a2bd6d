using System.Diagnostics;

namespace SpeechServe.Runtime.Batching;

/// <summary>
/// Gathers concurrent requests into batches for model runs, with <see cref="BatchingOptions.Workers"/> batches
/// running at once. A worker's batch takes the queued requests up to <see cref="BatchingOptions.MaxBatchSize"/> (when
/// more are queued, the oldest and those nearest to it in length) and waits, up to <see cref="BatchingOptions.MaxWait"/>
/// from its first request, only for requests that callers have announced (<see cref="Announce"/>) and not yet queued,
/// and only while no other worker is free to take them: a lone request runs at once, requests up to the number of
/// workers run side by side in narrow batches, and requests that queue while every worker is busy share wider ones.
/// </summary>
/// <typeparam name="TRequest">One element of a batch.</typeparam>
/// <typeparam name="TResult">The result for one element.</typeparam>
public sealed class DynamicBatcher<TRequest, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TRequest>, CancellationToken, IReadOnlyList<TResult>> _runBatch;
    private readonly Func<PendingRequest, int>? _lengthOf;
    private readonly BatchingOptions _options;
    private readonly Lock _lock = new();
    private readonly List<PendingRequest> _queue = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private TaskCompletionSource _changed = NewSignal();
    private int _announced;
    private int _running;
    private bool _completed;
    private int _disposed;

    /// <param name="runBatch">Runs one batch; returns one result per request, in order. With more than one worker it
    /// is called for several batches at once.</param>
    /// <param name="options">Workers, batch size and wait limits.</param>
    /// <param name="lengthOf">A request's length (for audio, its feature frames), by which a full queue is bucketed;
    /// null takes requests in arrival order.</param>
    public DynamicBatcher(
        Func<IReadOnlyList<TRequest>, CancellationToken, IReadOnlyList<TResult>> runBatch, BatchingOptions options, Func<TRequest, int>? lengthOf = null)
    {
        ArgumentNullException.ThrowIfNull(runBatch);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _runBatch = runBatch;
        _options = options;
        _lengthOf = lengthOf is null ? null : pending => lengthOf(pending.Request);
        _workers = Enumerable.Range(0, options.Workers).Select(_ => Task.Run(RunWorkerAsync)).ToArray();
    }

    /// <summary>Raised after each batch with its size, for metrics; with several workers, from several threads.</summary>
    public event Action<int>? BatchCompleted;

    /// <summary>Requests waiting for a run.</summary>
    public int QueueDepth
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Announces a request that is on its way (its input being prepared): until it is queued through the returned
    /// announcement, or the announcement is disposed, a batch that has room waits for it, up to
    /// <see cref="BatchingOptions.MaxWait"/>, unless another worker is free.
    /// </summary>
    public BatchAnnouncement<TRequest, TResult> Announce()
    {
        lock (_lock)
        {
            _announced++;
        }

        return new BatchAnnouncement<TRequest, TResult>(this);
    }

    /// <summary>Queues a request and completes with its result once its batch has run.</summary>
    /// <returns>The result; faulted with <see cref="BatchQueueFullException"/> when the queue holds
    /// <see cref="BatchingOptions.MaxQueueLength"/> requests, or with the batch runner's exception.</returns>
    public Task<TResult> EnqueueAsync(TRequest request, CancellationToken cancellationToken = default) =>
        Enqueue(request, withdrawing: false, cancellationToken);

    /// <summary>Withdraws one announcement and queues its request in one step, so no batch sees one without the other.</summary>
    internal Task<TResult> EnqueueAnnounced(TRequest request, CancellationToken cancellationToken) =>
        Enqueue(request, withdrawing: true, cancellationToken);

    /// <summary>Withdraws one announcement (<see cref="BatchAnnouncement{TRequest, TResult}"/> calls it once): a batch waiting for it runs.</summary>
    internal void Withdraw()
    {
        lock (_lock)
        {
            _announced--;
            Signal();
        }
    }

    private Task<TResult> Enqueue(TRequest request, bool withdrawing, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest(request, cancellationToken);
        Exception? refusal = null;
        lock (_lock)
        {
            _announced -= withdrawing ? 1 : 0;
            if (_completed)
            {
                refusal = new ObjectDisposedException(GetType().Name);
            }
            else if (_queue.Count >= _options.MaxQueueLength)
            {
                refusal = new BatchQueueFullException(_options.MaxQueueLength);
            }
            else
            {
                _queue.Add(pending);
            }

            Signal();
        }

        return refusal is null ? pending.Completion.Task : Task.FromException<TResult>(refusal);
    }

    private async Task RunWorkerAsync()
    {
        var batch = new List<PendingRequest>(_options.MaxBatchSize);
        while (await TakeBatchAsync(batch).ConfigureAwait(false))
        {
            RunBatch(batch);
            batch.Clear();
            lock (_lock)
            {
                // A worker is free again: a batch waiting for announced requests can leave them to it.
                _running--;
                Signal();
            }
        }
    }

    /// <summary>Waits for a batch to take (then counted as running); false once the batcher is disposed and its queue is empty.</summary>
    private async Task<bool> TakeBatchAsync(List<PendingRequest> batch)
    {
        long firstSeen = 0;
        while (true)
        {
            Task changed;
            var wait = Timeout.InfiniteTimeSpan;
            lock (_lock)
            {
                _queue.RemoveAll(p => p.CancellationToken.IsCancellationRequested && p.Completion.TrySetCanceled(p.CancellationToken));
                if (_queue.Count == 0)
                {
                    if (_completed)
                    {
                        return false;
                    }

                    firstSeen = 0;
                }
                else
                {
                    firstSeen = firstSeen == 0 ? Stopwatch.GetTimestamp() : firstSeen;
                    var remaining = _options.MaxWait - Stopwatch.GetElapsedTime(firstSeen);
                    var otherWorkerFree = _running + 1 < _options.Workers;
                    if (_queue.Count >= _options.MaxBatchSize || _announced == 0 || otherWorkerFree || _completed || remaining <= TimeSpan.Zero)
                    {
                        LengthBucketing.Take(_queue, _options.MaxBatchSize, _lengthOf, batch);
                        _running++;
                        return true;
                    }

                    wait = remaining;
                }

                changed = _changed.Task;
            }

            await (wait == Timeout.InfiniteTimeSpan ? changed : Task.WhenAny(changed, Task.Delay(wait))).ConfigureAwait(false);
        }
    }

    private void RunBatch(List<PendingRequest> batch)
    {
        try
        {
            var results = _runBatch(batch.ConvertAll(p => p.Request), _stopping.Token);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"The batch runner returned {results.Count} results for {batch.Count} requests.");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        }
#pragma warning disable CA1031 // Every failure of a run belongs to the requests of that batch, not to the worker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }

        BatchCompleted?.Invoke(batch.Count);
    }

    /// <summary>Wakes every waiting worker; called under the lock on each change they wait for.</summary>
    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops taking requests, runs the ones already queued and waits for the workers; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        // The host may stop its services twice (WebApplicationFactory does); only the first call disposes.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_lock)
        {
            _completed = true;
            Signal();
        }

        await Task.WhenAll(_workers).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed class PendingRequest(TRequest request, CancellationToken cancellationToken)
    {
        public TRequest Request { get; } = request;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
