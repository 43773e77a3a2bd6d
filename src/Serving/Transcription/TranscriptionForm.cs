using System.Globalization;

namespace SpeechServe.Serving.Transcription;

/// <summary>The multipart fields of a transcription or translation request, parsed and checked.</summary>
public sealed record TranscriptionForm
{
    /// <summary>The uploaded audio.</summary>
    public required IFormFile File { get; init; }

    /// <summary>A base model id or an adapter name.</summary>
    public required string Model { get; init; }

    /// <summary>ISO-639-1 language of the audio, if the client gave one.</summary>
    public string? Language { get; init; }

    /// <summary>Accepted for compatibility; CTC models do not condition on a prompt, so it is ignored.</summary>
    public string? Prompt { get; init; }

    /// <summary>How to render the result.</summary>
    public ResponseFormat ResponseFormat { get; init; } = ResponseFormat.Json;

    /// <summary>Sampling temperature in [0, 1]; recognition decodes deterministically whatever it is.</summary>
    public double Temperature { get; init; }

    /// <summary>Whether <c>timestamp_granularities[]</c> asked for word timestamps.</summary>
    public bool WordTimestamps { get; init; }

    /// <summary>Reads and checks the form; the error names the field and says what is accepted.</summary>
    public static TranscriptionFormResult Parse(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return Fail("file", "missing_file", "The 'file' field is required: send the audio as a multipart file part named 'file'.");
        }

        if (file.Length == 0)
        {
            return Fail("file", "empty_file", "The uploaded file is empty.");
        }

        var model = form["model"].ToString();
        if (string.IsNullOrWhiteSpace(model))
        {
            return Fail("model", "missing_model", "The 'model' field is required: pass a model id from GET /v1/models.");
        }

        var format = ResponseFormat.Json;
        var formatText = form["response_format"].ToString();
        if (formatText.Length > 0 && !TryParseFormat(formatText, out format))
        {
            return Fail("response_format", "invalid_response_format",
                $"response_format '{formatText}' is not supported; use one of json, text, srt, vtt, verbose_json.");
        }

        var temperature = 0.0;
        var temperatureText = form["temperature"].ToString();
        if (temperatureText.Length > 0
            && (!double.TryParse(temperatureText, NumberStyles.Float, CultureInfo.InvariantCulture, out temperature)
                || !double.IsFinite(temperature) || temperature < 0 || temperature > 1))
        {
            return Fail("temperature", "invalid_temperature", $"temperature '{temperatureText}' must be a number between 0 and 1.");
        }

        var wordTimestamps = false;
        foreach (var granularity in form["timestamp_granularities[]"].Concat(form["timestamp_granularities"]))
        {
            switch (granularity)
            {
                case "word":
                    wordTimestamps = true;
                    break;
                case "segment":
                    break;
                default:
                    return Fail("timestamp_granularities[]", "invalid_timestamp_granularity",
                        $"timestamp_granularities[] value '{granularity}' is not supported; use segment or word.");
            }
        }

        if (wordTimestamps && format != ResponseFormat.VerboseJson)
        {
            return Fail("timestamp_granularities[]", "invalid_timestamp_granularity",
                "Word timestamps need response_format verbose_json.");
        }

        return new TranscriptionFormResult(new TranscriptionForm
        {
            File = file,
            Model = model,
            Language = NullIfEmpty(form["language"].ToString()),
            Prompt = NullIfEmpty(form["prompt"].ToString()),
            ResponseFormat = format,
            Temperature = temperature,
            WordTimestamps = wordTimestamps,
        }, null);
    }

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

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static TranscriptionFormResult Fail(string param, string code, string message) =>
        new(null, new FormFieldError(param, code, message));
}

/// <summary>A parsed form, or the error that stopped it.</summary>
public sealed record TranscriptionFormResult(TranscriptionForm? Form, FormFieldError? Error);

/// <summary>A form field that is missing or has a bad value.</summary>
public sealed record FormFieldError(string Param, string Code, string Message);
