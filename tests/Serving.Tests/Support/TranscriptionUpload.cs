using System.Net.Http.Headers;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>Builds <c>/v1/audio/transcriptions</c> and <c>/v1/audio/translations</c> requests the way OpenAI's clients send them.</summary>
internal static class TranscriptionUpload
{
    public static readonly Uri Path = new("/v1/audio/transcriptions", UriKind.Relative);

    public static readonly Uri TranslationsPath = new("/v1/audio/translations", UriKind.Relative);

    /// <summary>A multipart body with the audio as the <c>file</c> part and the given fields.</summary>
    public static MultipartFormDataContent Create(
        byte[]? audio, string? model, string fileName = "audio.wav", params (string Name, string Value)[] fields)
    {
        var content = new MultipartFormDataContent();
        if (audio is not null)
        {
            var file = new ByteArrayContent(audio);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(file, "file", fileName);
        }

        if (model is not null)
        {
            content.Add(new StringContent(model), "model");
        }

        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        return content;
    }

    /// <summary>Posts the audio for transcription and returns the response.</summary>
    public static Task<HttpResponseMessage> PostAsync(
        HttpClient client, byte[] audio, string model, string fileName = "audio.wav", params (string Name, string Value)[] fields) =>
        PostToAsync(client, Path, audio, model, fileName, fields);

    /// <summary>Posts the audio for translation and returns the response.</summary>
    public static Task<HttpResponseMessage> PostTranslationAsync(HttpClient client, byte[] audio, string model, params (string Name, string Value)[] fields) =>
        PostToAsync(client, TranslationsPath, audio, model, "audio.wav", fields);

    private static async Task<HttpResponseMessage> PostToAsync(
        HttpClient client, Uri path, byte[] audio, string model, string fileName, (string Name, string Value)[] fields)
    {
        using var content = Create(audio, model, fileName, fields);
        return await client.PostAsync(path, content);
    }
}
