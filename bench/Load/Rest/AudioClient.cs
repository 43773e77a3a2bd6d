using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SpeechServe.Bench.Load.Rest;

/// <summary>Posts clips to <c>/v1/audio/transcriptions</c> (or <c>translations</c>) of one target as OpenAI's clients do.</summary>
internal sealed class AudioClient : IDisposable
{
    private readonly Uri _path;
    private readonly HttpClient _http;
    private readonly string _model;

    /// <summary>A client of <paramref name="model"/> on <paramref name="server"/>.</summary>
    /// <param name="server">The server's base address.</param>
    /// <param name="model">The model id to name.</param>
    /// <param name="endpoint"><c>transcriptions</c> or <c>translations</c>.</param>
    public AudioClient(Uri server, string model, string endpoint = "transcriptions")
    {
        _path = new Uri($"/v1/audio/{endpoint}", UriKind.Relative);
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromMinutes(2),
        };
        _model = model;
    }

    /// <summary>Posts one clip; returns the latency, or throws with the status and body of a failure.</summary>
    public async Task<TimeSpan> PostAsync(SpeechClip clip, CancellationToken cancellationToken = default) =>
        (await SendAsync(clip, cancellationToken).ConfigureAwait(false)).Latency;

    /// <summary>Posts one clip; returns the text of the answer, or throws with the status and body of a failure.</summary>
    public async Task<string> TranscribeAsync(SpeechClip clip, CancellationToken cancellationToken = default)
    {
        var body = (await SendAsync(clip, cancellationToken).ConfigureAwait(false)).Body;
        using var answer = JsonDocument.Parse(body);
        return answer.RootElement.GetProperty("text").GetString() ?? "";
    }

    private async Task<(TimeSpan Latency, string Body)> SendAsync(SpeechClip clip, CancellationToken cancellationToken)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(clip.Wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        content.Add(file, "file", clip.Name);
        content.Add(new StringContent(_model), "model");
        content.Add(new StringContent("json"), "response_format");
        var watch = Stopwatch.StartNew();
        using var response = await _http.PostAsync(_path, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {_model}: {body}");
        }

        return (elapsed, body);
    }

    public void Dispose() => _http.Dispose();
}
