using System.Globalization;
using System.Net.Http.Headers;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;
using SpeechServe.Serving.OpenAi;
using SpeechServe.Serving.AudioApi;
using SpeechServe.Serving.Transcription;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>
/// Properties of the transcription request's multipart reading (<see cref="AudioFormReader"/>) and field
/// parsing (<see cref="TranscriptionForm"/>), in process: valid forms round-trip; random field values and
/// mutated bodies and boundaries never throw, get 400, 413 or 415 with OpenAI's error shape, and 413 only when
/// the body really is over the limit.
/// </summary>
public sealed class TranscriptionFormPropertyTests
{
    private const long MaxBodyBytes = 16 * 1024;

    private static readonly string[] KnownCodes =
        ["missing_file", "empty_file", "missing_model", "invalid_response_format", "invalid_temperature", "invalid_timestamp_granularity"];

    private static readonly Gen<string> Text = Gen.ArrayOf(Gen.Elements("ab z9-_.é漢 \"\\;=\r\n\t\0🎙".EnumerateRunes().Select(r => r.ToString()).ToArray()))
        .Select(parts => string.Concat(parts));

    private static readonly Gen<ValidForm> ValidForms =
        from model in Text.Where(m => !string.IsNullOrWhiteSpace(m) && m.Trim() == m && !m.Contains('\0', StringComparison.Ordinal))
        from language in Gen.Elements<string?>(null, "en", "de", "zh")
        from prompt in Gen.OneOf(Gen.Constant<string?>(null), Text.Where(p => p.Length > 0 && !p.Contains('\0', StringComparison.Ordinal)).Select(p => (string?)p))
        from format in Gen.Elements("json", "text", "srt", "vtt", "verbose_json")
        from temperature in Gen.Choose(0, 100).Select(t => t / 100.0)
        from words in Gen.Elements(false, true)
        from file in Gen.Choose(1, 2000).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
        select new ValidForm(model, language, prompt, format, temperature, words && format == "verbose_json", file);

    [Fact]
    public void Read_ValidForm_RoundTripsEveryField()
    {
        ParserProperty.Check(ValidForms, valid =>
        {
            var (body, contentType) = Serialize(valid.Fields(), valid.File);
            var (form, error) = ReadAsync(body, contentType, MaxBodyBytes * 4).GetAwaiter().GetResult();
            Assert.Null(error);

            var parsed = TranscriptionForm.Parse(form!);

            Assert.Null(parsed.Error);
            var request = parsed.Form!;
            Assert.Equal(valid.Model, request.Model);
            Assert.Equal(valid.Language, request.Language);
            Assert.Equal(valid.Prompt, request.Prompt);
            Assert.Equal(valid.Format, FormatName(request.ResponseFormat));
            Assert.Equal(valid.Temperature, request.Temperature, 9);
            Assert.Equal(valid.WordTimestamps, request.WordTimestamps);
            using var stream = request.File.OpenReadStream();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.Equal(valid.File, copy.ToArray());
        }, cases: 200);
    }

    [Fact]
    public void Parse_RandomFieldValues_NeverThrowsAndRefusesWithAKnownCode()
    {
        var fields = from names in Gen.SubListOf("model", "response_format", "temperature", "timestamp_granularities[]", "timestamp_granularities", "language", "prompt", "file")
                     from values in Gen.ArrayOf(Gen.OneOf(Text, Gen.Elements("json", "verbose_json", "word", "segment", "0.5", "1e-3", "NaN", "-0", "Infinity", " 1", "")), names.Count)
                     from file in Gen.Choose(0, 3)
                     select (Fields: names.Zip(values).ToArray(), File: new byte[file]);
        ParserProperty.Check(fields, input =>
        {
            var form = Form(input.Fields, input.File);

            var parsed = TranscriptionForm.Parse(form);

            if (parsed.Error is { } error)
            {
                Assert.Contains(error.Code, KnownCodes);
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(parsed.Form!.Model));
                Assert.InRange(parsed.Form.Temperature, 0, 1);
                Assert.True(parsed.Form.File.Length > 0);
            }
        });
    }

    [Fact]
    public void Read_MutatedBodyOrBoundary_AnswersAClearErrorAnd413OnlyOverTheLimit()
    {
        var requests = from valid in ValidForms
                       from boundary in Gen.OneOf(
                           Gen.Constant<string?>(null),
                           Gen.Choose(1, 150).Select(n => (string?)new string('b', n)),
                           Text.Select(t => (string?)t))
                       let serialized = Serialize(valid.Fields(), valid.File, boundary)
                       from body in Gen.OneOf(Gen.Constant(serialized.Body), ByteMutations.Mutated(Gen.Constant(serialized.Body)))
                       select (Body: body, serialized.ContentType);
        ParserProperty.Check(requests, request =>
        {
            var (body, contentType) = request;
            var (form, error) = ReadAsync(body, contentType, MaxBodyBytes).GetAwaiter().GetResult();
            if (error is null)
            {
                // Whatever the reader accepted, the field parser answers without throwing.
                _ = TranscriptionForm.Parse(form!);
                return;
            }

            var status = ((IStatusCodeHttpResult)error).StatusCode;
            var code = ((OpenAiErrorResponse)((IValueHttpResult)error).Value!).Error.Code;
            Assert.Contains(status, new int?[] { 400, 413, 415 });
            Assert.True(status != 413 || body.Length > MaxBodyBytes, $"413 ({code}) for a {body.Length}-byte body under the {MaxBodyBytes}-byte limit; content type {contentType}");
        });
    }

    [Fact]
    public async Task Read_BoundaryLongerThanTheReaderAllows_400NotTooLarge()
    {
        // Found by Read_MutatedBodyOrBoundary_...: the reader's boundary length limit was taken for the body limit.
        var (body, contentType) = Serialize([("model", "m")], [1, 2, 3], new string('b', 71));

        var (_, error) = await ReadAsync(body, contentType, MaxBodyBytes);

        Assert.Equal(400, ((IStatusCodeHttpResult)error!).StatusCode);
        Assert.Equal("invalid_multipart", ((OpenAiErrorResponse)((IValueHttpResult)error).Value!).Error.Code);
    }

    private static async Task<(IFormCollection? Form, IResult? Error)> ReadAsync(byte[] body, string contentType, long maxBodyBytes)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        return await AudioFormReader.ReadAsync(context, maxBodyBytes, CancellationToken.None);
    }

    private static (byte[] Body, string ContentType) Serialize(IEnumerable<(string Name, string Value)> fields, byte[] file, string? boundary = null)
    {
        using var content = boundary is null ? new MultipartFormDataContent() : new MultipartFormDataContent(
            boundary.Length is > 0 and <= 70 && boundary.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? boundary : "placeholder");
        var audio = new ByteArrayContent(file);
        audio.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(audio, "file", "audio.wav");
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        var body = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var contentType = content.Headers.ContentType!.ToString();
        if (boundary is not null)
        {
            // Any boundary the generator made, even one HttpClient would refuse to write.
            contentType = $"multipart/form-data; boundary=\"{boundary.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        }

        return (body, contentType);
    }

    private static FormCollection Form(IEnumerable<(string Name, string Value)> fields, byte[] file)
    {
        var values = fields.Where(f => f.Name != "file").GroupBy(f => f.Name)
            .ToDictionary(g => g.Key, g => new Microsoft.Extensions.Primitives.StringValues(g.Select(f => f.Value).ToArray()));
        var files = new FormFileCollection();
        if (fields.Any(f => f.Name == "file"))
        {
            files.Add(new FormFile(new MemoryStream(file), 0, file.Length, "file", "audio.wav"));
        }

        return new FormCollection(values, files);
    }

    private static string FormatName(ResponseFormat format) => format switch
    {
        ResponseFormat.Json => "json",
        ResponseFormat.Text => "text",
        ResponseFormat.Srt => "srt",
        ResponseFormat.Vtt => "vtt",
        _ => "verbose_json",
    };

    private sealed record ValidForm(string Model, string? Language, string? Prompt, string Format, double Temperature, bool WordTimestamps, byte[] File)
    {
        public List<(string Name, string Value)> Fields()
        {
            var fields = new List<(string, string)>
            {
                ("model", Model),
                ("response_format", Format),
                ("temperature", Temperature.ToString(CultureInfo.InvariantCulture)),
            };
            if (Language is not null)
            {
                fields.Add(("language", Language));
            }

            if (Prompt is not null)
            {
                fields.Add(("prompt", Prompt));
            }

            if (WordTimestamps)
            {
                fields.Add(("timestamp_granularities[]", "word"));
            }

            return fields;
        }
    }
}
