using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SpeechServe.Serving.Tests.Admin;

[Collection(AdminServerGroup.Name)]
public sealed class AdminEndpointsTests(AdminServerFixture fixture)
{
    [Fact]
    public async Task Admin_WithoutOrWithWrongKey_AnswersUnauthorizedProblem()
    {
        using var anonymous = fixture.Factory.CreateClient();
        using var wrong = fixture.Factory.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");

        foreach (var client in new[] { anonymous, wrong })
        {
            using var response = await client.GetAsync(new Uri("/admin/adapters", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("admin_unauthorized", (await ReadJson(response)).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Admin_WithoutConfiguredKey_AnswersNotFoundSayingHowToEnable()
    {
        var empty = Directory.CreateTempSubdirectory("speechserve-nomodels-");
        try
        {
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Serving:ModelsPath", empty.FullName));
            using var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");

            using var response = await client.PutAsync(new Uri("/admin/adapters/medical", UriKind.Relative), new ByteArrayContent(fixture.Medical));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Admin__ApiKey", (await ReadJson(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Lifecycle_UploadActivateRollbackDelete_EachStepAnswersAndServes()
    {
        using var admin = fixture.CreateAdminClient();

        var listed = await ReadJson(await admin.GetAsync(new Uri("/admin/adapters", UriKind.Relative)));
        var callcenter = listed.GetProperty("adapters").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "callcenter");
        Assert.Equal(1, callcenter.GetProperty("active_version").GetInt32());
        Assert.Equal("active", callcenter.GetProperty("state").GetString());
        Assert.Equal(AdminServerFixture.ModelId, callcenter.GetProperty("base_model").GetString());
        Assert.True(callcenter.GetProperty("bytes").GetInt64() > 0);

        var uploaded = await Put(admin, "callcenter", fixture.CallCenter);
        Assert.Equal(HttpStatusCode.Created, uploaded.Status);
        Assert.Equal(2, uploaded.Body.GetProperty("version").GetInt32());
        Assert.Equal(2, uploaded.Body.GetProperty("active_version").GetInt32());
        Assert.Equal("callcenter@2", await TranscribedVersion("callcenter"));

        var staged = await Put(admin, "callcenter?activate=false", fixture.CallCenter);
        Assert.Equal(HttpStatusCode.Created, staged.Status);
        Assert.Equal(3, staged.Body.GetProperty("version").GetInt32());
        Assert.Equal(2, staged.Body.GetProperty("active_version").GetInt32());
        Assert.Equal("callcenter@2", await TranscribedVersion("callcenter"));

        var notZip = await Put(admin, "callcenter", "not a zip"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, notZip.Status);
        Assert.Equal("zip.format", notZip.Body.GetProperty("rule").GetString());
        var otherName = await Put(admin, "callcenter", fixture.Medical);
        Assert.Equal(HttpStatusCode.BadRequest, otherName.Status);
        Assert.Equal("config.name-mismatch", otherName.Body.GetProperty("rule").GetString());
        Assert.Equal("callcenter@2", await TranscribedVersion("callcenter"));

        using (var activated = await admin.PostAsJsonAsync(new Uri("/admin/adapters/callcenter/activate", UriKind.Relative), new { version = 3 }))
        {
            Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
            Assert.Equal(3, (await ReadJson(activated)).GetProperty("active_version").GetInt32());
        }

        Assert.Equal("callcenter@3", await TranscribedVersion("callcenter"));
        using (var missing = await admin.PostAsJsonAsync(new Uri("/admin/adapters/callcenter/activate", UriKind.Relative), new { version = 9 }))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }

        using (var noVersion = await admin.PostAsJsonAsync(new Uri("/admin/adapters/callcenter/activate", UriKind.Relative), new { }))
        {
            await AssertInvalidActivateRequest(noVersion);
        }

        using (var malformed = await admin.PostAsync(
            new Uri("/admin/adapters/callcenter/activate", UriKind.Relative), new StringContent("{\"version\": ", Encoding.UTF8, "application/json")))
        {
            await AssertInvalidActivateRequest(malformed);
        }

        using (var notJson = await admin.PostAsync(new Uri("/admin/adapters/callcenter/activate", UriKind.Relative), new StringContent("version=2")))
        {
            await AssertInvalidActivateRequest(notJson);
        }

        using (var rolledBack = await admin.PostAsync(new Uri("/admin/adapters/callcenter/rollback", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, rolledBack.StatusCode);
            Assert.Equal(2, (await ReadJson(rolledBack)).GetProperty("active_version").GetInt32());
        }

        Assert.Equal("callcenter@2", await TranscribedVersion("callcenter"));
        var model = (await ModelIds()).Single(m => m.GetProperty("id").GetString() == "callcenter");
        Assert.Equal(2, model.GetProperty("version").GetInt32());

        using (var deleted = await admin.DeleteAsync(new Uri("/admin/adapters/callcenter", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.Equal(0, (await ReadJson(deleted)).GetProperty("in_flight").GetInt32());
        }

        Assert.DoesNotContain(await ModelIds(), m => m.GetProperty("id").GetString() == "callcenter");
        using (var client = fixture.Factory.CreateClient())
        using (var gone = await client.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), fixture.TranscriptionForm("callcenter")))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using (var again = await admin.DeleteAsync(new Uri("/admin/adapters/callcenter", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        using (var rollbackGone = await admin.PostAsync(new Uri("/admin/adapters/callcenter/rollback", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.NotFound, rollbackGone.StatusCode);
        }

        var recreated = await Put(admin, "callcenter", fixture.CallCenter);
        Assert.Equal(HttpStatusCode.Created, recreated.Status);
        Assert.Equal(1, recreated.Body.GetProperty("version").GetInt32());
    }

    private async Task<string?> TranscribedVersion(string model)
    {
        using var client = fixture.Factory.CreateClient();
        using var response = await client.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), fixture.TranscriptionForm(model));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = response.Headers.GetValues("X-SpeechServe-Adapter").Single();
        var adapter = (await ReadJson(response)).GetProperty("adapter");
        Assert.Equal(header, $"{adapter.GetProperty("name").GetString()}@{adapter.GetProperty("version").GetInt32()}");
        return header;
    }

    private async Task<List<JsonElement>> ModelIds()
    {
        using var client = fixture.Factory.CreateClient();
        return [.. (await ReadJson(await client.GetAsync(new Uri("/v1/models", UriKind.Relative)))).GetProperty("data").EnumerateArray()];
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Put(HttpClient admin, string path, byte[] zip)
    {
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var response = await admin.PutAsync(new Uri("/admin/adapters/" + path, UriKind.Relative), content);
        return (response.StatusCode, await ReadJson(response));
    }

    private static async Task AssertInvalidActivateRequest(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJson(response);
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.Contains("version", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ReadJson(HttpResponseMessage response)
    {
        using (response)
        {
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
    }
}
