using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SpeechServe.Bench.Soak;

/// <summary>
/// Hot swaps through the admin API (docs/adapters.md): uploads a second version of one adapter without
/// activating it (<c>admin upload</c>), then activates the two versions alternately (<c>admin activate</c>),
/// and after each activation checks that a new request runs on the version just activated (<c>swap check</c>).
/// </summary>
internal static class AdapterSwapLoop
{
    public static async Task RunAsync(SoakContext context, string adapter, byte[] secondVersion)
    {
        var uploaded = await UploadAsync(context, adapter, secondVersion).ConfigureAwait(false);
        if (uploaded is not { } newVersion)
        {
            return;
        }

        int[] versions = [newVersion, 1];
        var limit = context.MaxIterations(perSecond: 1);
        for (var i = 0; i < limit; i++)
        {
            await Task.Delay(context.Options.SwapInterval).ConfigureAwait(false);
            if (!context.Running)
            {
                return;
            }

            var version = versions[i % versions.Length];
            if (await ActivateAsync(context, adapter, version).ConfigureAwait(false))
            {
                await CheckServedVersionAsync(context, adapter, version).ConfigureAwait(false);
            }
        }
    }

    private static async Task<int?> UploadAsync(SoakContext context, string adapter, byte[] package)
    {
        const string Operation = "admin upload";
        using var content = new ByteArrayContent(package);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var request = AdminRequest(context, HttpMethod.Put, $"/admin/adapters/{adapter}?activate=false", content);
        try
        {
            var watch = Stopwatch.StartNew();
            using var response = await context.Http.SendAsync(request).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                context.Log.Failed(Operation, $"PUT {adapter}: HTTP {(int)response.StatusCode} {body}");
                return null;
            }

            context.Log.Succeeded(Operation, watch.Elapsed);
            using var created = JsonDocument.Parse(body);
            return created.RootElement.GetProperty("version").GetInt32();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            context.Log.Failed(Operation, $"PUT {adapter}: {ex.Message}");
            return null;
        }
    }

    private static async Task<bool> ActivateAsync(SoakContext context, string adapter, int version)
    {
        const string Operation = "admin activate";
        using var request = AdminRequest(context, HttpMethod.Post, $"/admin/adapters/{adapter}/activate", JsonContent.Create(new { version }));
        try
        {
            var watch = Stopwatch.StartNew();
            using var response = await context.Http.SendAsync(request).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                context.Log.Failed(Operation, $"{adapter} version {version}: HTTP {(int)response.StatusCode} {body}");
                return false;
            }

            context.Log.Succeeded(Operation, watch.Elapsed);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            context.Log.Failed(Operation, $"{adapter} version {version}: {ex.Message}");
            return false;
        }
    }

    private static async Task CheckServedVersionAsync(SoakContext context, string adapter, int version)
    {
        const string Operation = "swap check";
        var expected = $"{adapter}@{version}";
        try
        {
            var (latency, served) = await AudioCall.SendAsync(context.Http, AudioEndpoint.Transcriptions, context.Clips[0], adapter, "json", isAdapter: true).ConfigureAwait(false);
            if (served == expected)
            {
                context.Log.Succeeded(Operation, latency);
            }
            else
            {
                context.Log.Failed(Operation, $"a request sent after activating {expected} ran on {served}");
            }
        }
        catch (Exception ex) when (ex is SoakCheckException or HttpRequestException or TaskCanceledException)
        {
            context.Log.Failed(Operation, ex.Message);
        }
    }

    private static HttpRequestMessage AdminRequest(SoakContext context, HttpMethod method, string path, HttpContent content) =>
        new(method, new Uri(path, UriKind.Relative))
        {
            Content = content,
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", context.Options.AdminKey) },
        };
}
