using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SpeechServe.Bench.Load.Adapters;

/// <summary>The calls of the admin API (docs/adapters.md) the benchmark makes, each timed.</summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminClient(Uri server, string adminKey)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(1) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    }

    /// <summary>Uploads a package as a new, activated version.</summary>
    public async Task<TimeSpan> UploadAsync(string name, byte[] package)
    {
        using var content = new ByteArrayContent(package);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return await TimeAsync(() => _http.PutAsync(new Uri($"/admin/adapters/{name}", UriKind.Relative), content)).ConfigureAwait(false);
    }

    /// <summary>Activates a stored version (a hot swap).</summary>
    public async Task<TimeSpan> ActivateAsync(string name, int version)
    {
        using var content = JsonContent.Create(new { version });
        return await TimeAsync(() => _http.PostAsync(new Uri($"/admin/adapters/{name}/activate", UriKind.Relative), content)).ConfigureAwait(false);
    }

    /// <summary>The sum of <c>resident_bytes</c> over the listed adapters, and their number.</summary>
    public async Task<(long ResidentBytes, int Count)> ResidentAsync()
    {
        using var list = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/admin/adapters", UriKind.Relative)).ConfigureAwait(false));
        var adapters = list.RootElement.GetProperty("adapters").EnumerateArray().ToList();
        return (adapters.Sum(a => a.GetProperty("resident_bytes").GetInt64()), adapters.Count);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<TimeSpan> TimeAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        using var response = await send().ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {body}");
        }

        return elapsed;
    }
}
