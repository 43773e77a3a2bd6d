namespace SpeechServe.Runtime.Batching;

/// <summary>
/// A request on its way to a <see cref="DynamicBatcher{TRequest, TResult}"/> (<see cref="DynamicBatcher{TRequest, TResult}.Announce"/>):
/// a batch with room waits for it until it is queued with <see cref="EnqueueAsync"/> or the announcement is disposed.
/// </summary>
/// <typeparam name="TRequest">One element of a batch.</typeparam>
/// <typeparam name="TResult">The result for one element.</typeparam>
public sealed class BatchAnnouncement<TRequest, TResult> : IDisposable
{
    private readonly DynamicBatcher<TRequest, TResult> _batcher;
    private int _withdrawn;

    internal BatchAnnouncement(DynamicBatcher<TRequest, TResult> batcher) => _batcher = batcher;

    /// <summary>Queues the announced request (see <see cref="DynamicBatcher{TRequest, TResult}.EnqueueAsync"/>).</summary>
    public Task<TResult> EnqueueAsync(TRequest request, CancellationToken cancellationToken = default) =>
        // Withdrawn and queued in one step: a batch that takes the request must not then wait for its announcement,
        // nor leave without it because the announcement went first.
        Interlocked.Exchange(ref _withdrawn, 1) == 0
            ? _batcher.EnqueueAnnounced(request, cancellationToken)
            : _batcher.EnqueueAsync(request, cancellationToken);

    /// <summary>Withdraws the announcement (once); the request will not come, or has come.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _withdrawn, 1) == 0)
        {
            _batcher.Withdraw();
        }
    }
}
