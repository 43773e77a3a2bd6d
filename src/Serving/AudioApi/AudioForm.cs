using System.Globalization;

namespace SpeechServe.Serving.AudioApi;

/// <summary>
/// The multipart fields every <c>/v1/audio</c> request has (transcription and translation), parsed and checked;
/// each endpoint's form adds its own.
/// </summary>
public record AudioForm
{
    /// <summary>The uploaded audio.</summary>
    public required IFormFile File { get; init; }

    /// <summary>A base model id or an adapter name.</summary>
    public required string Model { get; init; }

    /// <summary>Accepted for compatibility and ignored: no served model conditions on a prompt.</summary>
    public string? Prompt { get; init; }

    /// <summary>How to render the result.</summary>
    public ResponseFormat ResponseFormat { get; init; } = ResponseFormat.Json;

    /// <summary>Sampling temperature in [0, 1].</summary>
    public double Temperature { get; init; }

    /// <summary>Whether the text is sent as server-sent events while it is decoded (<c>stream=true</c>).</summary>
    public bool Stream { get; init; }

    /// <summary>Reads and checks the shared fields; the error names the field and says what is accepted.</summary>
    public static FormParseResult<AudioForm> ParseSharedFields(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return FormParseResult.Fail<AudioForm>("file", "missing_file", "The 'file' field is required: send the audio as a multipart file part named 'file'.");
        }

        if (file.Length == 0)
        {
            return FormParseResult.Fail<AudioForm>("file", "empty_file", "The uploaded file is empty.");
        }

        var model = form["model"].ToString();
        if (string.IsNullOrWhiteSpace(model))
        {
            return FormParseResult.Fail<AudioForm>("model", "missing_model", "The 'model' field is required: pass a model id from GET /v1/models.");
        }

        var format = ResponseFormat.Json;
        var formatText = form["response_format"].ToString();
        if (formatText.Length > 0 && !TryParseFormat(formatText, out format))
        {
            return FormParseResult.Fail<AudioForm>("response_format", "invalid_response_format",
                $"response_format '{formatText}' is not supported; use one of json, text, srt, vtt, verbose_json.");
        }

        var temperature = 0.0;
        var temperatureText = form["temperature"].ToString();
        if (temperatureText.Length > 0 && !TryParseNumber(temperatureText, 0, 1, out temperature))
        {
            return FormParseResult.Fail<AudioForm>("temperature", "invalid_temperature", $"temperature '{temperatureText}' must be a number between 0 and 1.");
        }

        var streamText = form["stream"].ToString();
        var stream = false;
        if (streamText.Length > 0 && !bool.TryParse(streamText, out stream))
        {
            return FormParseResult.Fail<AudioForm>("stream", "invalid_stream", $"stream '{streamText}' must be true or false.");
        }

        if (stream && format is not (ResponseFormat.Json or ResponseFormat.Text))
        {
            return FormParseResult.Fail<AudioForm>("stream", "invalid_stream",
                $"stream=true sends transcript.text events, which have no timestamps: use response_format json or text with it, or leave stream out for {formatText}.");
        }

        var prompt = form["prompt"].ToString();
        return new FormParseResult<AudioForm>(
            new AudioForm { File = file, Model = model, Prompt = prompt.Length == 0 ? null : prompt, ResponseFormat = format, Temperature = temperature, Stream = stream },
            null);
    }

    /// <summary>Parses an invariant-culture number and checks that it is finite and within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool TryParseNumber(string text, double min, double max, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value >= min && value <= max;

    private static bool TryParseFormat(string text, out ResponseFormat format)
    {
        (var known, format) = text switch
        {
            "json" => (true, ResponseFormat.Json),
            "text" => (true, ResponseFormat.Text),
            "srt" => (true, ResponseFormat.Srt),
            "vtt" => (true, ResponseFormat.Vtt),
            "verbose_json" => (true, ResponseFormat.VerboseJson),
            _ => (false, ResponseFormat.Json),
        };
        return known;
    }
}

/// <summary>A parsed form, or the error that stopped it.</summary>
public sealed record FormParseResult<TForm>(TForm? Form, FormFieldError? Error)
    where TForm : AudioForm
{
    /// <summary>The same error for another form type.</summary>
    public FormParseResult<TOther> FailAs<TOther>()
        where TOther : AudioForm => new(null, Error);
}

/// <summary>Builds failed <see cref="FormParseResult{TForm}"/>s.</summary>
public static class FormParseResult
{
    /// <summary>The result for a field that is missing or has a bad value.</summary>
    public static FormParseResult<TForm> Fail<TForm>(string param, string code, string message)
        where TForm : AudioForm => new(null, new FormFieldError(param, code, message));
}

/// <summary>A form field that is missing or has a bad value.</summary>
public sealed record FormFieldError(string Param, string Code, string Message);
