using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace SpeechServe.Serving.Tests.Cluster;

/// <summary>A replica killed with SIGKILL and a PostgreSQL restart, under steady load through nginx.</summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterFaultTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int Clients = 3;

    [Fact]
    public async Task KillReplica_UnderLoad_NoRequestLost_RestartedReplicaRejoinsWithCurrentVersion()
    {
        var version = await cluster.UploadAsync(cluster.Replicas[0]);
        var results = await UnderLoadAsync(async () =>
        {
            await Task.Delay(1000);
            await cluster.ScriptAsync("kill-replica", "1");
            var restart = Stopwatch.StartNew();
            try
            {
                // Through nginx, which may first try the dead replica.
                using var response = await cluster.ActivateAsync(cluster.Balancer, version);
                Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                restart.Restart();
            }
            finally
            {
                await cluster.ScriptAsync("start-replica", "1");
            }

            output.WriteLine($"replica 1 ready again {restart.Elapsed.TotalSeconds:F1} s after its start");
        });

        Assert.All(results, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal((version, version), await cluster.VersionsAsync(cluster.Replicas[1]));
        Assert.Equal((HttpStatusCode.OK, $"{ClusterFixture.Adapter}@{version}"), await cluster.TranscribeAsync(cluster.Replicas[1]));
    }

    [Fact]
    public async Task RestartPostgres_UnderLoad_NoRequestLost_LaterChangesReachEveryReplica()
    {
        var version = await cluster.UploadAsync(cluster.Replicas[0]);
        var results = await UnderLoadAsync(async () =>
        {
            await Task.Delay(1000);
            await cluster.ScriptAsync("restart-postgres");
            await Task.Delay(1000);
        });
        Assert.All(results, status => Assert.Equal(HttpStatusCode.OK, status));

        using (var response = await cluster.ActivateAsync(cluster.Replicas[^1], version))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        await cluster.WaitUntilServedEverywhereAsync(version, TimeSpan.FromSeconds(2));
        foreach (var replica in cluster.Replicas)
        {
            Assert.Equal((HttpStatusCode.OK, $"{ClusterFixture.Adapter}@{version}"), await cluster.TranscribeAsync(replica));
        }
    }

    [Fact]
    public async Task StopPostgres_ReplicasServeTheirCache_ChangesRefused_AppliedEverywhereOnceBack()
    {
        var version = await cluster.UploadAsync(cluster.Replicas[0]);
        var served = (await cluster.VersionsAsync(cluster.Replicas[0])).Served!.Value;
        await cluster.ScriptAsync("stop-postgres");
        try
        {
            using (var refused = await cluster.ActivateAsync(cluster.Replicas[0], version))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Contains("database cannot be reached", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // A replica restarted meanwhile comes up from its cache.
            await cluster.ScriptAsync("kill-replica", "1");
            await cluster.ScriptAsync("start-replica", "1");
            foreach (var replica in cluster.Replicas)
            {
                Assert.Equal((HttpStatusCode.OK, $"{ClusterFixture.Adapter}@{served}"), await cluster.TranscribeAsync(replica));
            }
        }
        finally
        {
            await cluster.ScriptAsync("start-postgres");
        }

        using (var response = await cluster.ActivateAsync(cluster.Replicas[1], version))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        await cluster.WaitUntilServedEverywhereAsync(version, TimeSpan.FromSeconds(2));
    }

    // Clients transcribing through nginx one request after another until the fault has run; the status of every request.
    private async Task<IReadOnlyCollection<HttpStatusCode>> UnderLoadAsync(Func<Task> fault)
    {
        var statuses = new ConcurrentQueue<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                statuses.Enqueue((await cluster.TranscribeAsync(cluster.Balancer)).Status);
            }
        })).ToList();
        try
        {
            await fault();
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        output.WriteLine($"{statuses.Count} requests from {Clients} clients through nginx during the fault, {statuses.Count(s => s == HttpStatusCode.OK)} answered 200");
        Assert.True(statuses.Count >= Clients * 5, $"only {statuses.Count} requests ran during the fault");
        return statuses;
    }
}
