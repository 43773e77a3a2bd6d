using System.Threading.Channels;

namespace SpeechServe.Runtime.Batching;

/// <summary>
/// Gathers concurrent requests into batches for one model run: a batch takes every queued request up to
/// <see cref="BatchingOptions.MaxBatchSize"/>, and waits (up to <see cref="BatchingOptions.MaxWait"/> from its first
/// request) only for requests that callers have announced (<see cref="Announce"/>) and not yet queued: with none
/// announced, a lone request runs at once. One worker runs batches one after another, so the model sees one batch
/// at a time and uses its own intra-op threads for it; requests that queue while it runs share the next batch.
/// </summary>
/// <typeparam name="TRequest">One element of a batch.</typeparam>
/// <typeparam name="TResult">The result for one element.</typeparam>
public sealed class DynamicBatcher<TRequest, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TRequest>, CancellationToken, IReadOnlyList<TResult>> _runBatch;
    private readonly BatchingOptions _options;
    private readonly Channel<PendingRequest> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private int _disposed;
    private int _announced;

    /// <param name="runBatch">Runs one batch; returns one result per request, in order.</param>
    /// <param name="options">Batch size and wait limits.</param>
    public DynamicBatcher(Func<IReadOnlyList<TRequest>, CancellationToken, IReadOnlyList<TResult>> runBatch, BatchingOptions options)
    {
        ArgumentNullException.ThrowIfNull(runBatch);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _runBatch = runBatch;
        _options = options;
        _queue = Channel.CreateBounded<PendingRequest>(new BoundedChannelOptions(options.MaxQueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Raised after each batch with its size, for metrics.</summary>
    public event Action<int>? BatchCompleted;

    /// <summary>Requests waiting for a run.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>
    /// Announces a request that is on its way (its input being prepared): until it is queued through the returned
    /// announcement, or the announcement is disposed, a batch that has room waits for it, up to
    /// <see cref="BatchingOptions.MaxWait"/>.
    /// </summary>
    public BatchAnnouncement<TRequest, TResult> Announce()
    {
        Interlocked.Increment(ref _announced);
        return new BatchAnnouncement<TRequest, TResult>(this);
    }

    /// <summary>Withdraws one announcement (<see cref="BatchAnnouncement{TRequest, TResult}"/> calls it once).</summary>
    internal void Withdraw() => Interlocked.Decrement(ref _announced);

    /// <summary>Queues a request and completes with its result once its batch has run.</summary>
    /// <returns>The result; faulted with <see cref="BatchQueueFullException"/> when the queue holds
    /// <see cref="BatchingOptions.MaxQueueLength"/> requests, or with the batch runner's exception.</returns>
    public Task<TResult> EnqueueAsync(TRequest request, CancellationToken cancellationToken = default)
    {
        var pending = new PendingRequest(request, cancellationToken);
        if (_queue.Writer.TryWrite(pending))
        {
            return pending.Completion.Task;
        }

        return Task.FromException<TResult>(Volatile.Read(ref _disposed) == 1
            ? new ObjectDisposedException(GetType().Name)
            : new BatchQueueFullException(_options.MaxQueueLength));
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingRequest>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await FillBatchAsync(reader, batch).ConfigureAwait(false);
            RunBatch(batch);
            batch.Clear();
        }
    }

    private async Task FillBatchAsync(ChannelReader<PendingRequest> reader, List<PendingRequest> batch)
    {
        using var window = new CancellationTokenSource(_options.MaxWait);
        while (batch.Count < _options.MaxBatchSize)
        {
            if (reader.TryRead(out var next))
            {
                if (!next.CancellationToken.IsCancellationRequested || !next.Completion.TrySetCanceled(next.CancellationToken))
                {
                    batch.Add(next);
                }

                continue;
            }

            if (batch.Count > 0 && (window.IsCancellationRequested || Volatile.Read(ref _announced) == 0))
            {
                return;
            }

            try
            {
                if (!await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void RunBatch(List<PendingRequest> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

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

    /// <summary>Stops taking requests, runs the ones already queued and waits for the worker; idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        // The host may stop its services twice (WebApplicationFactory does); only the first call disposes.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
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
