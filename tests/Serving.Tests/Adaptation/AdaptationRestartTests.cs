using System.Net.Http.Json;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Adaptation;

/// <summary>A job the server was running when it died reports <c>failed</c> with the reason after the restart.</summary>
public sealed class AdaptationRestartTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("speechserve-adaptation-restart");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Restart_WhileAJobRuns_ReportsTheJobFailedWithTheReason()
    {
        var data = _scratch.File("data");
        SpokenDataset.Write(data, 6);
        string id;
        await using (var first = await AdaptationServer.StartAsync(_scratch))
        {
            using var response = await first.SubmitAsync(AdaptationServer.Zip(data), ("name", "crashed"), ("time_budget_minutes", "10"));
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await first.WaitForAsync(id, j => j.GetProperty("state").GetString() == "running", TimeSpan.FromMinutes(1));
        }

        await using var second = await AdaptationServer.StartAsync(_scratch);
        var job = await second.JobAsync(id);

        Assert.Equal("failed", job.GetProperty("state").GetString());
        Assert.Contains("server stopped while the job was running", job.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("crashed", job.GetProperty("name").GetString());
    }
}
