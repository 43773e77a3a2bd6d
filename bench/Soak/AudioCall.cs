using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SpeechServe.Bench.Soak;

/// <summary>One <c>POST /v1/audio/transcriptions</c> or <c>/v1/audio/translations</c>, with the checks that make its answer a success.</summary>
internal static class AudioCall
{
    public static readonly string[] ResponseFormats = ["json", "text", "srt", "vtt", "verbose_json"];

    /// <summary>
    /// Sends <paramref name="clip"/> to <paramref name="endpoint"/> for <paramref name="model"/>; returns the latency, or throws
    /// <see cref="SoakCheckException"/> saying what was wrong with the answer. Returns the adapter the server
    /// names in <c>X-SpeechServe-Adapter</c> (null for the base model).
    /// </summary>
    public static async Task<(TimeSpan Latency, string? Adapter)> SendAsync(HttpClient http, AudioEndpoint endpoint, SpeechClip clip, string model, string format, bool isAdapter)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(clip.Wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", clip.Name);
        form.Add(new StringContent(model), "model");
        form.Add(new StringContent(format), "response_format");
        if (format == "verbose_json" && endpoint.WordTimestamps)
        {
            form.Add(new StringContent("word"), "timestamp_granularities[]");
            form.Add(new StringContent("segment"), "timestamp_granularities[]");
        }

        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync(new Uri(endpoint.Path, UriKind.Relative), form).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var latency = watch.Elapsed;
        var what = $"{clip.Name} model={model} format={format}";
        if (!response.IsSuccessStatusCode)
        {
            throw new SoakCheckException($"{what}: HTTP {(int)response.StatusCode} {Shorten(body)}");
        }

        var adapter = response.Headers.TryGetValues("X-SpeechServe-Adapter", out var values) ? values.Single() : null;
        var adapterAsExpected = isAdapter ? adapter?.StartsWith(model + "@", StringComparison.Ordinal) == true : adapter is null;
        if (!adapterAsExpected)
        {
            throw new SoakCheckException($"{what}: X-SpeechServe-Adapter is '{adapter}'");
        }

        CheckBody(endpoint, format, body, what);
        return (latency, adapter);
    }

    private static void CheckBody(AudioEndpoint endpoint, string format, string body, string what)
    {
        var ok = format switch
        {
            "json" => HasProperties(body, "text"),
            "verbose_json" => HasProperties(body, endpoint.WordTimestamps ? ["text", "segments", "words"] : ["text", "segments"]),
            "vtt" => body.StartsWith("WEBVTT", StringComparison.Ordinal),
            // A clip the model hears no words in has no segments, so no cues (JSON text is then empty too).
            "srt" => body.Length == 0 || body.StartsWith("1\n", StringComparison.Ordinal),
            _ => body.Length > 0,
        };
        if (!ok)
        {
            throw new SoakCheckException($"{what}: unexpected body {Shorten(body)}");
        }
    }

    private static bool HasProperties(string json, params string[] names)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return names.All(n => document.RootElement.TryGetProperty(n, out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "...";
}

/// <summary>An answer that arrived but is not what the contract promises.</summary>
internal sealed class SoakCheckException(string message) : Exception(message);

/// <summary>An OpenAI audio endpoint the soak calls.</summary>
/// <param name="Path">Its path.</param>
/// <param name="WordTimestamps">Whether <c>verbose_json</c> is asked for, and must hold, word timestamps.</param>
internal sealed record AudioEndpoint(string Path, bool WordTimestamps)
{
    public static AudioEndpoint Transcriptions { get; } = new("/v1/audio/transcriptions", WordTimestamps: true);

    public static AudioEndpoint Translations { get; } = new("/v1/audio/translations", WordTimestamps: false);
}
