using System.Collections.Concurrent;
using System.Net;

namespace SpeechServe.Serving.Tests.Cluster;

/// <summary>A replica killed with SIGKILL and a PostgreSQL restart, under steady load through nginx.</summary>
[Collection(ClusterGroup.Name)]
public sealed class ClusterFaultTests(ClusterFixture cluster)
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
            using (var response = await cluster.ActivateAsync(cluster.Balancer, version))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            }

            await cluster.ScriptAsync("start-replica", "1");
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

        Assert.True(statuses.Count >= Clients * 5, $"only {statuses.Count} requests ran during the fault");
        return statuses;
    }
}
