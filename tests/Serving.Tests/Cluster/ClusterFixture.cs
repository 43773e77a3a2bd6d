using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Cluster;

/// <summary>
/// A real cluster started by <c>scripts/cluster.sh up</c>: PostgreSQL, <see cref="ReplicaCount"/> replicas of the
/// built server over the shipped model and nginx on a free port. <c>scripts/cluster.sh down</c> stops it when the
/// tests end, whether they passed or not.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The admin key of every replica.</summary>
    public const string AdminKey = "cluster-test-admin-key";

    /// <summary>The adapter the tests upload and activate.</summary>
    public const string Adapter = "telephony";

    /// <summary>Replicas started.</summary>
    public const int ReplicaCount = 2;

    // cluster.sh creates the folder and `down` removes it; PostgreSQL's own user must be able to reach it.
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"speechserve-cluster-{Guid.NewGuid():N}");

    /// <summary>Every replica's base address, in the order cluster.sh numbers them.</summary>
    public IReadOnlyList<Uri> Replicas { get; private set; } = [];

    /// <summary>nginx's address.</summary>
    public Uri Balancer { get; private set; } = new("http://127.0.0.1/");

    /// <summary>A client with the admin key and no timeout of its own.</summary>
    public HttpClient Client { get; } = CreateClient();

    /// <summary>The shipped adapter's package, as uploads send it.</summary>
    public byte[] Package { get; } = ShippedPackage();

    /// <summary>Half a second of 16 kHz noise.</summary>
    public byte[] Wav { get; } = NoiseWav();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var output = await ScriptAsync("up", "--replicas", ReplicaCount.ToString(System.Globalization.CultureInfo.InvariantCulture), "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Replicas = [.. lines.Where(l => l.StartsWith("replica ", StringComparison.Ordinal)).Select(l => new Uri(l["replica ".Length..]))];
        Balancer = new Uri(lines.Single(l => l.StartsWith("balancer ", StringComparison.Ordinal))["balancer ".Length..]);
        Assert.Equal(ReplicaCount, Replicas.Count);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await ScriptAsync("down");
        Client.Dispose();
    }

    /// <summary>Runs <c>scripts/cluster.sh</c> on this cluster and returns its output; fails the test on a non-zero exit.</summary>
    public Task<string> ScriptAsync(params string[] arguments) =>
        ExternalTool.RunCheckedAsync(
            "env",
            [
                $"SPEECHSERVE_CLUSTER_DIR={_state}",
                $"SPEECHSERVE_CONFIGURATION={(AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug")}",
                $"Admin__ApiKey={AdminKey}",
                "bash",
                Path.Combine(TrainingScripts.RepositoryRoot, "scripts", "cluster.sh"),
                .. arguments,
            ],
            timeout: TimeSpan.FromMinutes(3));

    /// <summary>Uploads <see cref="Package"/> through <paramref name="replica"/> without activating it.</summary>
    /// <returns>The new version.</returns>
    public async Task<int> UploadAsync(Uri replica)
    {
        using var body = new ByteArrayContent(Package);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await Client.PutAsync(new Uri(replica, $"/admin/adapters/{Adapter}?activate=false"), body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
    }

    /// <summary>Asks <paramref name="replica"/> to activate <paramref name="version"/>.</summary>
    public async Task<HttpResponseMessage> ActivateAsync(Uri replica, int version) =>
        await Client.PostAsync(new Uri(replica, $"/admin/adapters/{Adapter}/activate"), JsonContent.Create(new { version }));

    /// <summary>The desired and served version of <see cref="Adapter"/> as <paramref name="replica"/> lists them.</summary>
    public async Task<(int? Desired, int? Served)> VersionsAsync(Uri replica)
    {
        var list = await Client.GetFromJsonAsync<JsonElement>(new Uri(replica, "/admin/adapters"));
        var adapter = list.GetProperty("adapters").EnumerateArray().Single(a => a.GetProperty("name").GetString() == Adapter);
        return (Version(adapter, "desired_version"), Version(adapter, "served_version"));
    }

    /// <summary>The stored versions of <see cref="Adapter"/> as <paramref name="replica"/> lists them.</summary>
    public async Task<IReadOnlyList<int>> StoredVersionsAsync(Uri replica)
    {
        var list = await Client.GetFromJsonAsync<JsonElement>(new Uri(replica, "/admin/adapters"));
        var adapter = list.GetProperty("adapters").EnumerateArray().Single(a => a.GetProperty("name").GetString() == Adapter);
        return [.. adapter.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32())];
    }

    /// <summary>Waits until every replica serves <paramref name="version"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilServedEverywhereAsync(int version, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var replica in Replicas)
        {
            while ((await VersionsAsync(replica)).Served != version)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{replica} does not serve version {version} of {Adapter} after {timeout.TotalSeconds} s.");
                await Task.Delay(10);
            }
        }
    }

    /// <summary>Transcribes <see cref="Wav"/> with <see cref="Adapter"/> through <paramref name="server"/>.</summary>
    /// <returns>The status and the <c>X-SpeechServe-Adapter</c> header (name@version).</returns>
    public async Task<(HttpStatusCode Status, string? Adapter)> TranscribeAsync(Uri server, CancellationToken cancellationToken = default)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "clip.wav");
        form.Add(new StringContent(Adapter), "model");
        using var response = await Client.PostAsync(new Uri(server, "/v1/audio/transcriptions"), form, cancellationToken);
        return (response.StatusCode, response.Headers.TryGetValues("X-SpeechServe-Adapter", out var values) ? values.Single() : null);
    }

    private static int? Version(JsonElement adapter, string property) =>
        adapter.GetProperty(property).ValueKind == JsonValueKind.Number ? adapter.GetProperty(property).GetInt32() : null;

    private static HttpClient CreateClient()
    {
        var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static byte[] ShippedPackage()
    {
        var adapter = Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small", "adapters", Adapter);
        var version = Directory.GetDirectories(adapter).Select(Path.GetFileName).Select(int.Parse!).Max();
        var files = Directory.GetFiles(Path.Combine(adapter, version.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Where(f => Path.GetFileName(f) != "SHA256SUMS")
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)));
        return PackageZip.Create(files);
    }

    private static byte[] NoiseWav()
    {
        var random = new Random(11);
        var samples = Enumerable.Range(0, 8000).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2)).ToArray();
        return new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(samples);
    }
}

/// <summary>The cluster tests share one cluster and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterGroup : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "cluster";
}
