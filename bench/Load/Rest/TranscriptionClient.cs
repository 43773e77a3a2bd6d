using System.Diagnostics;
using System.Net.Http.Headers;

namespace SpeechServe.Bench.Load.Rest;

/// <summary>Posts clips to <c>/v1/audio/transcriptions</c> of one target as OpenAI's clients do.</summary>
internal sealed class TranscriptionClient : IDisposable
{
    private static readonly Uri Path = new("/v1/audio/transcriptions", UriKind.Relative);
    private readonly HttpClient _http;
    private readonly string _model;

    public TranscriptionClient(Uri server, string model)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromMinutes(2),
        };
        _model = model;
    }

    /// <summary>Transcribes one clip; returns the latency, or throws with the status and body of a failure.</summary>
    public async Task<TimeSpan> TranscribeAsync(SpeechClip clip, CancellationToken cancellationToken = default)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(clip.Wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        content.Add(file, "file", clip.Name);
        content.Add(new StringContent(_model), "model");
        content.Add(new StringContent("json"), "response_format");
        var watch = Stopwatch.StartNew();
        using var response = await _http.PostAsync(Path, content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {_model}: {body}");
        }

        return elapsed;
    }

    public void Dispose() => _http.Dispose();
}
