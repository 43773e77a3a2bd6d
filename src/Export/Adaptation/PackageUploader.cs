using System.Net.Http.Headers;
using System.Text.Json;
using SpeechServe.Export.Repository;

namespace SpeechServe.Export.Adaptation;

/// <summary>Uploads a package to a server's admin API (<c>PUT /admin/adapters/{name}</c>).</summary>
public static class PackageUploader
{
    /// <summary>Uploads <paramref name="packagePath"/> and returns the stored version.</summary>
    /// <exception cref="ExportException">The server refused the package or could not be reached.</exception>
    public static async Task<int> UploadAsync(Uri server, string adminKey, string name, string packagePath, bool activate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(packagePath, cancellationToken).ConfigureAwait(false));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"admin/adapters/{Uri.EscapeDataString(name)}?activate={(activate ? "true" : "false")}") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ExportException($"{server} refused the upload with {(int)response.StatusCode}: {body}");
            }

            return JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt32();
        }
        catch (HttpRequestException ex)
        {
            throw new ExportException($"could not reach {server}: {ex.Message}", ex);
        }
    }
}
