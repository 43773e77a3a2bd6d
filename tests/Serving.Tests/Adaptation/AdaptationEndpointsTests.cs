using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Adaptation;

/// <summary><c>/admin/adaptations</c> on a real server: a spoken dataset in, an inactive adapter version out; bad datasets refused.</summary>
public sealed class AdaptationEndpointsTests : IAsyncLifetime, IDisposable
{
    private readonly ScratchDirectory _scratch = new("speechserve-adaptation");
    private AdaptationServer? _server;

    private AdaptationServer Server => _server!;

    public async Task InitializeAsync() => _server = await AdaptationServer.StartAsync(_scratch);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Post_SpokenDataset_TrainsAndStoresAnInactiveVersionThatServesOnceActivated()
    {
        var data = _scratch.File("spoken");
        SpokenDataset.Write(data, 12);

        using var response = await Server.SubmitAsync(AdaptationServer.Zip(data, asFolder: true), ("name", "spoken"), ("time_budget_minutes", "0.15"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"/admin/adaptations/{id}", response.Headers.Location?.ToString());
        Assert.Equal(12, accepted.GetProperty("utterances").GetInt32());
        var job = await Server.WaitForAsync(id, j => j.GetProperty("state").GetString() is "succeeded" or "failed", TimeSpan.FromMinutes(3));
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        Assert.True(job.GetProperty("step").GetInt32() > 0);
        Assert.InRange(job.GetProperty("base_dev_wer").GetDouble(), 0, 2);
        Assert.InRange(job.GetProperty("best_dev_wer").GetDouble(), 0, 2);
        var version = job.GetProperty("version").GetInt32();

        var adapters = await Server.Client.GetFromJsonAsync<JsonElement>(new Uri("/admin/adapters", UriKind.Relative));
        var spoken = adapters.GetProperty("adapters").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "spoken");
        Assert.Equal("inactive", spoken.GetProperty("state").GetString());
        Assert.Contains(version, spoken.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()));
        var models = await Server.Client.GetStringAsync(new Uri("/v1/models", UriKind.Relative));
        Assert.DoesNotContain("\"spoken\"", models, StringComparison.Ordinal);

        using var activate = await Server.Client.PostAsJsonAsync(new Uri("/admin/adapters/spoken/activate", UriKind.Relative), new { version });
        Assert.Equal(HttpStatusCode.OK, activate.StatusCode);
        using var transcription = await TranscriptionUpload.PostAsync(Server.Client, File.ReadAllBytes(Path.Combine(data, "audio", "000.wav")), "spoken");
        Assert.Equal(HttpStatusCode.OK, transcription.StatusCode);
        Assert.Equal($"spoken@{version}", transcription.Headers.GetValues("X-SpeechServe-Adapter").Single());
    }

    [Fact]
    public async Task Post_BadDatasets_AreRefusedWithTheReasonAndTheRowsNamed()
    {
        var data = _scratch.File("bad");
        SpokenDataset.Write(data, 3);
        File.AppendAllText(Path.Combine(data, "metadata.csv"), "audio/none.wav,nothing here\naudio/001.wav,\"\"\naudio/002.wav,route 66\n");
        var metadataLess = _scratch.File("no-metadata");
        SpokenDataset.Write(metadataLess, 1);
        File.Delete(Path.Combine(metadataLess, "metadata.csv"));
        var tiny = _scratch.File("tiny");
        SpokenDataset.Write(tiny, 1);

        var rows = await RefusedAsync(AdaptationServer.Zip(data), "dataset_refused");
        Assert.Equal("3 of 6 rows cannot be used; fix or remove them:", rows.GetProperty("detail").GetString());
        var named = rows.GetProperty("rows").EnumerateArray()
            .Select(r => (r.GetProperty("line").GetInt32(), r.GetProperty("file_name").GetString(), r.GetProperty("message").GetString()!)).ToList();
        Assert.Equal([5, 6, 7], named.Select(r => r.Item1));
        Assert.Equal("audio/none.wav", named[0].Item2);
        Assert.Contains("does not exist", named[0].Item3, StringComparison.Ordinal);
        Assert.Contains("empty", named[1].Item3, StringComparison.Ordinal);
        Assert.Contains("'6'", named[2].Item3, StringComparison.Ordinal);

        Assert.Contains("not a readable zip", (await RefusedAsync([1, 2, 3, 4, 5], "dataset_refused")).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("neither metadata.csv nor metadata.jsonl", (await RefusedAsync(AdaptationServer.Zip(metadataLess), "dataset_refused")).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"holds \d\.\d s of usable audio in 1 utterances; adaptation needs at least 5\.0 s", (await RefusedAsync(AdaptationServer.Zip(tiny), "dataset_refused")).GetProperty("detail").GetString());
        Assert.Contains("'name' field", (await RefusedAsync(AdaptationServer.Zip(tiny), "invalid_request", ("name", "Bad Name"))).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("bottleneck", (await RefusedAsync(AdaptationServer.Zip(tiny), "invalid_request", ("name", "x"), ("bottleneck", "99"))).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var jobs = await Server.Client.GetFromJsonAsync<JsonElement>(new Uri("/admin/adaptations", UriKind.Relative));
        Assert.Empty(jobs.GetProperty("jobs").EnumerateArray());
        var jobsPath = _scratch.File("jobs");
        Assert.Empty(Directory.Exists(jobsPath) ? Directory.GetFileSystemEntries(jobsPath) : []);
        using var health = await Server.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Delete_RunningJob_CancelsItAndRefusesASecondTime()
    {
        var data = _scratch.File("long");
        SpokenDataset.Write(data, 6);
        using var response = await Server.SubmitAsync(AdaptationServer.Zip(data), ("name", "long"), ("time_budget_minutes", "10"));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Server.WaitForAsync(id, j => j.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(1));

        using var cancel = await Server.Client.DeleteAsync(new Uri($"/admin/adaptations/{id}", UriKind.Relative));
        using var again = await Server.Client.DeleteAsync(new Uri($"/admin/adaptations/{id}", UriKind.Relative));
        using var unknown = await Server.Client.DeleteAsync(new Uri("/admin/adaptations/nothing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var adapters = await Server.Client.GetStringAsync(new Uri("/admin/adapters", UriKind.Relative));
        Assert.DoesNotContain("\"long\"", adapters, StringComparison.Ordinal);
    }

    private async Task<JsonElement> RefusedAsync(byte[] zip, string code, params (string Name, string Value)[] fields)
    {
        using var response = await Server.SubmitAsync(zip, fields.Length > 0 ? fields : [("name", "bad")]);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Server.Process.Output}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}
