using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Admin;

/// <summary>
/// Zips broken below the package rules (found by the package property tests) get a 400 naming the rule, not a
/// 500, and the adapter already active keeps serving.
/// </summary>
[Collection(AdminServerGroup.Name)]
public sealed class AdminBrokenZipTests(AdminServerFixture fixture)
{
    public static TheoryData<string, string> Cases => new()
    {
        { "miscounted central directory", "zip.format" },
        { "compressed size past the package", "zip.entry-corrupt" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Upload_BrokenZip_RefusedNamingTheRuleAndActiveVersionServes(string scenario, string rule)
    {
        var zip = scenario == "miscounted central directory" ? PackageZip.WithMiscountedCentralDirectory(fixture.Medical) : PackageZip.WithClaimedSizes(fixture.Medical, 2_600_000, 250_000_000);
        using var admin = fixture.CreateAdminClient();
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");

        using var response = await admin.PutAsync(new Uri("/admin/adapters/medical", UriKind.Relative), content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(body))
        {
            Assert.Equal(rule, problem.RootElement.GetProperty("rule").GetString());
        }

        using var client = fixture.Factory.CreateClient();
        using var transcription = await client.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), fixture.TranscriptionForm("medical"));
        Assert.Equal(HttpStatusCode.OK, transcription.StatusCode);
    }
}
