using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace SpeechServe.Serving.Tests.Admin;

[Collection(AdminServerGroup.Name)]
public sealed class SwapUnderLoadTests(AdminServerFixture fixture, ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int Activations = 50;

    [Fact]
    public async Task Activate_AlternatingUnderLoad_NoRequestFailsAndEachRunsOnAVersionActiveWhenItStarted()
    {
        using var admin = fixture.CreateAdminClient();
        using (var content = new ByteArrayContent(fixture.Medical))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            using var staged = await admin.PutAsync(new Uri("/admin/adapters/medical?activate=false", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.Created, staged.StatusCode);
        }

        await Activate(admin, 1);
        var clock = Stopwatch.StartNew();

        // Activation k was requested at Start and had taken effect by End; before any, version 1 serves.
        var activations = new List<(long Start, long End, int Version)> { (0, 0, 1) };
        var requests = new ConcurrentBag<(long Start, long End, HttpStatusCode Status, string? Adapter)>();
        long lastLatencyTicks = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            using var client = fixture.Factory.CreateClient();
            while (!stop.IsCancellationRequested)
            {
                var start = clock.ElapsedTicks;
                using var response = await client.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), fixture.TranscriptionForm("medical"));
                var adapter = response.Headers.TryGetValues("X-SpeechServe-Adapter", out var values) ? values.Single() : null;
                if (response.IsSuccessStatusCode)
                {
                    // The body names the version too; it must be the one in the header (one lease per request).
                    var body = await response.Content.ReadFromJsonAsync<VerboseBody>();
                    var named = body?.Adapter is { } a ? $"{a.Name}@{a.Version}" : null;
                    adapter = named == adapter ? adapter : $"header {adapter} but body {named}";
                }

                var end = clock.ElapsedTicks;
                Interlocked.Exchange(ref lastLatencyTicks, end - start);
                requests.Add((start, end, response.StatusCode, adapter));
            }
        })).ToList();

        for (var k = 0; k < Activations; k++)
        {
            var version = k % 2 == 0 ? 2 : 1;
            var start = clock.ElapsedTicks;
            await Activate(admin, version);
            activations.Add((start, clock.ElapsedTicks, version));

            // Pauses several requests long, so that some requests fall wholly between two activations even
            // when a loaded machine makes each request slow.
            var latency = TimeSpan.FromSeconds((double)Interlocked.Read(ref lastLatencyTicks) / Stopwatch.Frequency);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(150, 3 * latency.TotalMilliseconds)));
        }

        await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(requests.Count >= Clients * 4, $"only {requests.Count} requests ran");
        Assert.All(requests, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var unambiguous = 0;
        foreach (var request in requests)
        {
            var allowed = VersionsActiveDuring(activations, request.Start, request.End);
            unambiguous += allowed.Count == 1 ? 1 : 0;
            Assert.True(
                allowed.Contains(request.Adapter!),
                $"a request sent at {request.Start} and answered at {request.End} ran on {request.Adapter}; active meanwhile: {string.Join(", ", allowed)}");
        }

        output.WriteLine($"{requests.Count} requests over {Activations} activations; {unambiguous} ran while only one version could be active.");

        // Both versions served, and many requests fell where only one version could have been active.
        Assert.Contains(requests, r => r.Adapter == "medical@1");
        Assert.Contains(requests, r => r.Adapter == "medical@2");
        Assert.True(unambiguous >= requests.Count / 20, $"only {unambiguous} of {requests.Count} requests ran while a single version was active");
    }

    /// <summary>
    /// The versions that may have been active at the moment the server leased one for a request sent at
    /// <paramref name="start"/> and answered at <paramref name="end"/>: the one active when it was sent
    /// (the last activation finished by then) and those of activations under way before it was answered.
    /// </summary>
    private static HashSet<string> VersionsActiveDuring(List<(long Start, long End, int Version)> activations, long start, long end)
    {
        var settled = activations.Where(a => a.End <= start).MaxBy(a => a.End);
        var versions = activations.Where(a => a.Start < end && a.End > start).Select(a => a.Version).Append(settled.Version);
        return [.. versions.Select(v => "medical@" + v.ToString(CultureInfo.InvariantCulture))];
    }

    private static async Task Activate(HttpClient admin, int version)
    {
        using var response = await admin.PostAsJsonAsync(new Uri("/admin/adapters/medical/activate", UriKind.Relative), new { version });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed record VerboseBody(VerboseAdapter? Adapter);

    private sealed record VerboseAdapter(string Name, int Version);
}
