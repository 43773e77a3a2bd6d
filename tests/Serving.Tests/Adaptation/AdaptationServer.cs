using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Adaptation;

/// <summary>
/// A real server over the shipped model with the admin key set, an empty adapter store and a jobs directory of its own
/// (both in the scratch directory given, so a restarted server finds the same jobs), and a small minimum of audio.
/// </summary>
internal sealed class AdaptationServer : IAsyncDisposable
{
    public const string AdminKey = "adaptation-admin-key";
    public const string ModelId = "speechfm-en-small";

    private AdaptationServer(ServingProcess process, HttpClient client)
    {
        Process = process;
        Client = client;
    }

    public ServingProcess Process { get; }

    /// <summary>A client carrying the admin key.</summary>
    public HttpClient Client { get; }

    public static async Task<AdaptationServer> StartAsync(ScratchDirectory scratch)
    {
        var process = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = Path.Combine(TrainingScripts.RepositoryRoot, "models"),
                ["Adapters__StorePath"] = scratch.File("store"),
                ["Admin__ApiKey"] = AdminKey,
                ["Adaptation__JobsPath"] = scratch.File("jobs"),
                ["Adaptation__MinAudioSeconds"] = "5",
                ["Adaptation__Threads"] = "1",
            },
            TimeSpan.FromMinutes(2));
        var client = process.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return new AdaptationServer(process, client);
    }

    /// <summary>Zips the folder <paramref name="directory"/> (as the folder itself when <paramref name="asFolder"/>).</summary>
    public static byte[] Zip(string directory, bool asFolder = false)
    {
        var path = directory.TrimEnd('/') + ".zip";
        File.Delete(path);
        ZipFile.CreateFromDirectory(directory, path, CompressionLevel.Fastest, includeBaseDirectory: asFolder);
        return File.ReadAllBytes(path);
    }

    public Task<HttpResponseMessage> SubmitAsync(byte[] zip, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        var data = new ByteArrayContent(zip);
        data.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(data, "data", "dataset.zip");
        return Client.PostAsync(new Uri("/admin/adaptations", UriKind.Relative), form);
    }

    public async Task<JsonElement> JobAsync(string id) =>
        await Client.GetFromJsonAsync<JsonElement>(new Uri($"/admin/adaptations/{id}", UriKind.Relative));

    /// <summary>Polls the job until <paramref name="done"/> holds for its status.</summary>
    public async Task<JsonElement> WaitForAsync(string id, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await JobAsync(id);
            if (done(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} did not get there within {timeout.TotalSeconds} s: {job}");
            await Task.Delay(500);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
