using System.Collections.Concurrent;
using SpeechServe.Runtime.Batching;

namespace SpeechServe.Runtime.Tests.Batching;

/// <summary>Several batch workers: batches side by side, results, cancellation, limits and disposal.</summary>
public sealed class DynamicBatcherWorkerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);
    private static readonly int[] QueuedLengths = [100, 10, 12, 90, 11];

    [Fact]
    public async Task EnqueueAsync_TwoWorkers_RunTwoBatchesAtOnce()
    {
        // Each batch waits at the barrier for the other: both complete only if they run at the same time.
        using var barrier = new Barrier(2);
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, cancellationToken) => barrier.SignalAndWait(Generous, cancellationToken) ? batch.ToList() : throw new TimeoutException("the other batch never ran"),
            new BatchingOptions { Workers = 2, MaxBatchSize = 1, MaxWait = TimeSpan.Zero });

        var results = await Task.WhenAll(batcher.EnqueueAsync(1), batcher.EnqueueAsync(2)).WaitAsync(Generous);

        Assert.Equal([1, 2], results);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task EnqueueAsync_ManyRequests_AtMostWorkersBatchesAtOnceAndEachGetsItsOwnResult(int workers)
    {
        var running = 0;
        var mostRunning = 0;
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostRunning, now);
                Thread.Sleep(20);
                Interlocked.Decrement(ref running);
                return batch.Select(x => x * 10).ToList();
            },
            new BatchingOptions { Workers = workers, MaxBatchSize = 2, MaxWait = TimeSpan.Zero });

        var results = await Task.WhenAll(Enumerable.Range(1, 24).Select(i => Task.Run(() => batcher.EnqueueAsync(i)))).WaitAsync(Generous);

        Assert.Equal(Enumerable.Range(1, 24).Select(i => i * 10), results);
        Assert.InRange(mostRunning, 1, workers);
    }

    [Fact]
    public async Task EnqueueAsync_AnotherWorkerFree_DoesNotWaitForAnnouncedRequests()
    {
        // With one worker the batch would wait the hour for the announced request; a free second worker will take it.
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) => batch.ToList(), new BatchingOptions { Workers = 2, MaxBatchSize = 8, MaxWait = TimeSpan.FromHours(1) });
        using var announcement = batcher.Announce();

        Assert.Equal(7, await batcher.EnqueueAsync(7).WaitAsync(Generous));
    }

    [Fact]
    public async Task EnqueueAsync_EveryWorkerBusy_QueuedRequestsShareTheNextBatch()
    {
        using var release = new ManualResetEventSlim();
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>(
            Held(batches, release),
            new BatchingOptions { Workers = 2, MaxBatchSize = 8, MaxWait = TimeSpan.Zero });

        var first = batcher.EnqueueAsync(1);
        await WaitUntilAsync(() => batches.Count == 1);
        var second = batcher.EnqueueAsync(2);
        await WaitUntilAsync(() => batches.Count == 2);
        Task<int>[] busy = [first, second];
        var queued = Enumerable.Range(3, 4).Select(i => batcher.EnqueueAsync(i)).ToList();
        release.Set();

        var results = await Task.WhenAll(busy.Concat(queued)).WaitAsync(Generous);

        Assert.Equal([1, 2, 3, 4, 5, 6], results);
        Assert.Contains(batches, b => b.SequenceEqual([3, 4, 5, 6]));
    }

    [Fact]
    public async Task EnqueueAsync_QueueFullWhileEveryWorkerBusy_Refuses()
    {
        using var release = new ManualResetEventSlim();
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>(
            Held(batches, release), new BatchingOptions { Workers = 2, MaxBatchSize = 1, MaxWait = TimeSpan.Zero, MaxQueueLength = 1 });

        // One queue place: each request is taken by its worker before the next is queued.
        var first = batcher.EnqueueAsync(0);
        await WaitUntilAsync(() => batches.Count == 1);
        var second = batcher.EnqueueAsync(1);
        await WaitUntilAsync(() => batches.Count == 2);
        Task<int>[] running = [first, second];
        var queued = batcher.EnqueueAsync(2);

        await Assert.ThrowsAsync<BatchQueueFullException>(() => batcher.EnqueueAsync(3));
        release.Set();
        var results = await Task.WhenAll(running.Append(queued)).WaitAsync(Generous);
        Assert.Equal([0, 1, 2], results);
    }

    [Fact]
    public async Task EnqueueAsync_CancelledWhileEveryWorkerBusy_IsNotRun()
    {
        using var release = new ManualResetEventSlim();
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>(
            Held(batches, release), new BatchingOptions { Workers = 2, MaxBatchSize = 1, MaxWait = TimeSpan.Zero });

        var running = new[] { batcher.EnqueueAsync(1), batcher.EnqueueAsync(2) };
        await WaitUntilAsync(() => batches.Count == 2);
        using var cancel = new CancellationTokenSource();
        var cancelled = batcher.EnqueueAsync(3, cancel.Token);
        var kept = batcher.EnqueueAsync(4);
        await cancel.CancelAsync();
        release.Set();

        var results = await Task.WhenAll(running.Append(kept)).WaitAsync(Generous);
        Assert.Equal([1, 2, 4], results);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Generous));
        Assert.DoesNotContain(batches, b => b.Contains(3));
    }

    [Fact]
    public async Task DisposeAsync_WorkersBusy_RunsTheQueuedRequestsThenStops()
    {
        using var release = new ManualResetEventSlim();
        var batcher = new DynamicBatcher<int, int>(
            Held(new ConcurrentQueue<int[]>(), release), new BatchingOptions { Workers = 2, MaxBatchSize = 1, MaxWait = TimeSpan.Zero });
        var requests = Enumerable.Range(1, 5).Select(i => batcher.EnqueueAsync(i)).ToList();

        var disposing = batcher.DisposeAsync().AsTask();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.EnqueueAsync(6));
        Assert.False(disposing.IsCompleted);
        release.Set();

        await disposing.WaitAsync(Generous);
        var results = await Task.WhenAll(requests).WaitAsync(Generous);
        Assert.Equal([1, 2, 3, 4, 5], results);
    }

    [Fact]
    public async Task EnqueueAsync_QueueLongerThanABatch_BatchesTheOldestWithTheNearestInLength()
    {
        // Requests are their own lengths. The first holds the one worker while the rest queue.
        using var release = new ManualResetEventSlim();
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher<int, int>(
            Held(batches, release),
            new BatchingOptions { MaxBatchSize = 2, MaxWait = TimeSpan.Zero },
            length => length);

        var first = batcher.EnqueueAsync(500);
        await WaitUntilAsync(() => batches.Count == 1);
        var queued = QueuedLengths.Select(length => batcher.EnqueueAsync(length)).ToList();
        release.Set();
        await Task.WhenAll(queued.Prepend(first)).WaitAsync(Generous);

        Assert.Equal([[500], [100, 90], [10, 11], [12]], batches);
    }

    [Fact]
    public async Task Withdraw_BatchWaitingForTheAnnouncement_RunsAtOnce()
    {
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) => batch.ToList(), new BatchingOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromHours(1) });
        var announcement = batcher.Announce();
        var waiting = batcher.EnqueueAsync(3);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        announcement.Dispose();

        Assert.Equal(3, await waiting.WaitAsync(Generous));
    }

    [Fact]
    public void Constructor_NoWorkers_SaysWhichValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new DynamicBatcher<int, int>((b, _) => b.ToList(), new BatchingOptions { Workers = 0 }));
        Assert.Equal("Workers", error.ParamName);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>A runner that records each batch, then holds its worker until <paramref name="release"/> is set.</summary>
    private static Func<IReadOnlyList<int>, CancellationToken, IReadOnlyList<int>> Held(ConcurrentQueue<int[]> batches, ManualResetEventSlim release) =>
        (batch, cancellationToken) =>
        {
            batches.Enqueue([.. batch]);
            release.Wait(Generous, cancellationToken);
            return batch.ToList();
        };

    private static Task WaitUntilAsync(Func<bool> condition) => DynamicBatcherTests.WaitUntilAsync(condition);
}
