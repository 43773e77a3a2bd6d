using System.Collections.Concurrent;
using SpeechServe.Runtime.Batching;

namespace SpeechServe.Runtime.Tests.Batching;

public sealed class DynamicBatcherTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EnqueueAsync_ConcurrentRequests_RunTogetherAndGetTheirOwnResults()
    {
        var batchSizes = new ConcurrentQueue<int>();
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) =>
            {
                batchSizes.Enqueue(batch.Count);
                return batch.Select(x => x * 10).ToList();
            },
            new BatchingOptions { MaxBatchSize = 4, MaxWait = TimeSpan.FromSeconds(2) });

        var announcements = Enumerable.Range(1, 8).Select(_ => batcher.Announce()).ToList();
        var queued = Enumerable.Range(1, 8).Select(i => announcements[i - 1].EnqueueAsync(i)).ToList();
        var results = await Task.WhenAll(queued);

        Assert.Equal(Enumerable.Range(1, 8).Select(i => i * 10), results);
        Assert.Equal([4, 4], batchSizes);
    }

    [Fact]
    public async Task EnqueueAsync_LoneRequestWithNothingAnnounced_RunsWithoutWaiting()
    {
        // A wait of an hour: the request completes only because nothing else is on its way.
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) => batch.ToList(), new BatchingOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromHours(1) });

        Assert.Equal(7, await batcher.EnqueueAsync(7).WaitAsync(Generous));
    }

    [Fact]
    public async Task EnqueueAsync_AnnouncedRequest_IsWaitedForAndJoinsTheBatch()
    {
        var batchSizes = new ConcurrentQueue<int>();
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) =>
            {
                batchSizes.Enqueue(batch.Count);
                return batch.ToList();
            },
            new BatchingOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromHours(1) });
        var announcement = batcher.Announce();

        var first = batcher.EnqueueAsync(1);
        await Task.Delay(200);
        Assert.False(first.IsCompleted);
        var second = announcement.EnqueueAsync(2);

        var results = await Task.WhenAll(first, second).WaitAsync(Generous);
        Assert.Equal([1, 2], results);
        Assert.Equal([2], batchSizes);
    }

    [Fact]
    public async Task EnqueueAsync_AnnouncementWithdrawn_TheWaitingBatchRunsAfterMaxWait()
    {
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) => batch.ToList(), new BatchingOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromMilliseconds(50) });
        var announcement = batcher.Announce();

        var lone = batcher.EnqueueAsync(7);
        announcement.Dispose();

        Assert.Equal(7, await lone.WaitAsync(Generous));
    }

    [Fact]
    public async Task EnqueueAsync_ThroughItsOwnAnnouncement_DoesNotWaitForItself()
    {
        // The announcement is withdrawn before the request is queued, so the batch that takes it has nothing
        // announced left to wait an hour for.
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) => batch.ToList(), new BatchingOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromHours(1) });

        using var announcement = batcher.Announce();
        Assert.Equal(5, await announcement.EnqueueAsync(5).WaitAsync(Generous));
    }

    [Fact]
    public async Task Announce_HandleDisposedTwice_IsWithdrawnOnce()
    {
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) => batch.ToList(), new BatchingOptions { MaxBatchSize = 8, MaxWait = TimeSpan.FromHours(1) });
        var announcement = batcher.Announce();
        announcement.Dispose();
        announcement.Dispose();

        // Withdrawn once, nothing is announced, so the lone request does not wait the hour.
        Assert.Equal(8, await batcher.EnqueueAsync(8).WaitAsync(Generous));
    }

    [Fact]
    public async Task EnqueueAsync_RunnerThrows_FailsThatBatchAndKeepsServing()
    {
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, _) => batch[0] < 0 ? throw new InvalidOperationException("bad batch") : batch.ToList(),
            new BatchingOptions { MaxBatchSize = 1, MaxWait = TimeSpan.Zero });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.EnqueueAsync(-1).WaitAsync(Generous));
        Assert.Equal("bad batch", failure.Message);
        Assert.Equal(3, await batcher.EnqueueAsync(3).WaitAsync(Generous));
    }

    [Fact]
    public async Task EnqueueAsync_QueueFull_RefusesWithQueueFull()
    {
        using var release = new ManualResetEventSlim();
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, cancellationToken) =>
            {
                release.Wait(Generous, cancellationToken);
                return batch.ToList();
            },
            new BatchingOptions { MaxBatchSize = 1, MaxWait = TimeSpan.Zero, MaxQueueLength = 2 });

        var running = batcher.EnqueueAsync(0);
        await WaitUntilAsync(() => batcher.QueueDepth == 0);
        var queued = new[] { batcher.EnqueueAsync(1), batcher.EnqueueAsync(2) };

        var refused = await Assert.ThrowsAsync<BatchQueueFullException>(() => batcher.EnqueueAsync(3));
        Assert.Equal(2, refused.Capacity);
        release.Set();
        var results = await Task.WhenAll(queued.Prepend(running)).WaitAsync(Generous);
        Assert.Equal([0, 1, 2], results);
    }

    [Fact]
    public async Task EnqueueAsync_CancelledWhileQueued_IsNotRun()
    {
        using var release = new ManualResetEventSlim();
        var ran = new ConcurrentBag<int>();
        await using var batcher = new DynamicBatcher<int, int>(
            (batch, cancellationToken) =>
            {
                release.Wait(Generous, cancellationToken);
                foreach (var item in batch)
                {
                    ran.Add(item);
                }

                return batch.ToList();
            },
            new BatchingOptions { MaxBatchSize = 1, MaxWait = TimeSpan.Zero });

        var first = batcher.EnqueueAsync(1);
        await WaitUntilAsync(() => batcher.QueueDepth == 0);
        using var cancel = new CancellationTokenSource();
        var second = batcher.EnqueueAsync(2, cancel.Token);
        await cancel.CancelAsync();
        release.Set();

        await first.WaitAsync(Generous);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Generous));
        Assert.DoesNotContain(2, ran);
    }

    [Fact]
    public async Task EnqueueAsync_AfterDispose_Throws()
    {
        var batcher = new DynamicBatcher<int, int>((batch, _) => batch.ToList(), new BatchingOptions());
        await batcher.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.EnqueueAsync(1));
    }

    [Fact]
    public async Task DisposeAsync_Twice_SecondCallDoesNothing()
    {
        var batcher = new DynamicBatcher<int, int>((batch, _) => batch.ToList(), new BatchingOptions());
        Assert.Equal(1, await batcher.EnqueueAsync(1));

        await batcher.DisposeAsync();
        await batcher.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.EnqueueAsync(2));
    }

    [Fact]
    public void Constructor_InvalidOptions_SaysWhichValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new DynamicBatcher<int, int>((b, _) => b.ToList(), new BatchingOptions { MaxBatchSize = 0 }));
        Assert.Equal("MaxBatchSize", error.ParamName);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached");
            await Task.Delay(5);
        }
    }
}
