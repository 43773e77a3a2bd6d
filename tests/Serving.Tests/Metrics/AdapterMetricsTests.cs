using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SpeechServe.Serving.Tests.Admin;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Metrics;

/// <summary>
/// Adapter changes through the admin API show in <c>speechserve_adapter_events_total</c> and the adapter
/// gauges. The tests leave <c>callcenter</c> as the fixture made it (version 1, active), since the admin
/// tests that share the server count its versions.
/// </summary>
[Collection(AdminServerGroup.Name)]
public sealed class AdapterMetricsTests(AdminServerFixture fixture)
{
    private const string Adapter = "callcenter";

    [Fact]
    public async Task Activate_StagedVersion_CountsOneSwapAndReleasesTheReplacedVersion()
    {
        using var admin = fixture.CreateAdminClient();
        using var client = fixture.Factory.CreateClient();
        var (status, body) = await PutAsync(admin, $"{Adapter}?activate=false", fixture.CallCenter);
        Assert.Equal(HttpStatusCode.Created, status);
        var staged = body.GetProperty("version").GetInt32();
        var before = await MetricsScrape.GetAsync(client);

        using (var activated = await admin.PostAsJsonAsync(new Uri($"/admin/adapters/{Adapter}/activate", UriKind.Relative), new { version = staged }))
        {
            Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        }

        var after = await MetricsScrape.GetAsync(client);
        Assert.Equal(
            new Dictionary<string, double> { ["activated"] = 1, ["loaded"] = 1, ["released"] = 1 },
            EventDeltas(before, after));
        (string, string)[] activate = [("route", "/admin/adapters/{name}/activate"), ("method", "POST"), ("status", "200"), ("model", string.Empty)];
        Assert.Equal(1, after.Value("speechserve_http_requests_total", activate) - before.Value("speechserve_http_requests_total", activate));
        AssertResidentEqualsActive(after);

        await RestoreAsync(admin, client);
    }

    [Fact]
    public async Task Upload_RefusedPackage_CountsOneRejectionAndNothingElse()
    {
        using var admin = fixture.CreateAdminClient();
        using var client = fixture.Factory.CreateClient();
        var before = await MetricsScrape.GetAsync(client);

        var (status, _) = await PutAsync(admin, Adapter, "not a zip"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var after = await MetricsScrape.GetAsync(client);
        Assert.Equal(new Dictionary<string, double> { ["rejected"] = 1 }, EventDeltas(before, after));
        (string, string)[] upload = [("route", "/admin/adapters/{name}"), ("method", "PUT"), ("status", "400"), ("model", string.Empty)];
        Assert.Equal(1, after.Value("speechserve_http_requests_total", upload) - before.Value("speechserve_http_requests_total", upload));
    }

    // Delete and upload again: the adapter is back at version 1, active, and each step was counted once.
    private async Task RestoreAsync(HttpClient admin, HttpClient client)
    {
        var before = await MetricsScrape.GetAsync(client);
        using (var deleted = await admin.DeleteAsync(new Uri($"/admin/adapters/{Adapter}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        var (status, body) = await PutAsync(admin, Adapter, fixture.CallCenter);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        var after = await MetricsScrape.GetAsync(client);
        Assert.Equal(
            new Dictionary<string, double> { ["activated"] = 1, ["deleted"] = 1, ["released"] = 1, ["stored"] = 1 },
            EventDeltas(before, after));
        AssertResidentEqualsActive(after);
    }

    private static Dictionary<string, double> EventDeltas(MetricsScrape before, MetricsScrape after) =>
        after.Samples.Where(s => s.Name == "speechserve_adapter_events_total" && s.Labels["base_model"] == AdminServerFixture.ModelId)
            .Select(s => (Event: s.Labels["event"], Delta: s.Value - before.Value(s.Name, [.. s.Labels.Select(l => (l.Key, l.Value))])))
            .Where(e => e.Delta != 0)
            .OrderBy(e => e.Event, StringComparer.Ordinal)
            .ToDictionary(e => e.Event, e => e.Delta);

    // No request holds a replaced version, so exactly the active versions keep their weights.
    private static void AssertResidentEqualsActive(MetricsScrape scrape)
    {
        var active = scrape.Find("speechserve_adapters_active", ("base_model", AdminServerFixture.ModelId));
        Assert.NotNull(active);
        Assert.Equal(active, scrape.Find("speechserve_adapters_resident", ("base_model", AdminServerFixture.ModelId)));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(HttpClient admin, string path, byte[] zip)
    {
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await admin.PutAsync(new Uri("/admin/adapters/" + path, UriKind.Relative), content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
