using System.Text.Json.Nodes;

namespace SpeechServe.Serving.Realtime;

/// <summary>
/// A Realtime transcription session's settings: the input format, the model, the language and prompt, and whether
/// the server's endpointing cuts turns (<c>server_vad</c>) or the client commits them (<c>turn_detection: null</c>).
/// Read from <c>session.update</c> (current form) or <c>transcription_session.update</c> (earlier form); fields
/// an update leaves out keep their values.
/// </summary>
internal sealed record RealtimeSessionConfig(RealtimeAudioFormat Format, string Model, string? Language, string Prompt, bool ServerVad)
{
    /// <summary>The settings after a <c>session.update</c>'s <c>session</c>, or the error that refuses it.</summary>
    public (RealtimeSessionConfig? Config, RealtimeError? Error) Update(JsonObject session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session["type"] is JsonNode type && type.ToString() != "transcription")
        {
            return (null, RealtimeError.Invalid("session.type", "This server runs transcription sessions only: set session.type to \"transcription\"."));
        }

        var input = session["audio"]?["input"] as JsonObject;
        var config = this;
        if (input?["format"] is JsonObject format)
        {
            var name = format["type"]?.ToString();
            var found = RealtimeAudioFormat.All.FirstOrDefault(f => f.Type == name);
            if (found is null)
            {
                return (null, RealtimeError.Invalid("session.audio.input.format.type", $"Audio format '{name}' is not supported; use audio/pcm (24 kHz), audio/pcmu or audio/pcma."));
            }

            if (format["rate"] is JsonNode rate && (rate.GetValueKind() != System.Text.Json.JsonValueKind.Number || rate.GetValue<double>() != found.SampleRate))
            {
                return (null, RealtimeError.Invalid("session.audio.input.format.rate", $"{found.Type} is sent at {found.SampleRate} Hz; set rate to {found.SampleRate} or leave it out."));
            }

            config = config with { Format = found };
        }

        return config.WithTranscriptionAndTurns(input?["transcription"], input, "session.audio.input");
    }

    /// <summary>The settings after a <c>transcription_session.update</c>'s <c>session</c>, or the error that refuses it.</summary>
    public (RealtimeSessionConfig? Config, RealtimeError? Error) UpdateBeta(JsonObject session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var config = this;
        if (session["input_audio_format"] is JsonNode formatNode)
        {
            var name = formatNode.ToString();
            var found = RealtimeAudioFormat.All.FirstOrDefault(f => f.BetaName == name);
            if (found is null)
            {
                return (null, RealtimeError.Invalid("session.input_audio_format", $"input_audio_format '{name}' is not supported; use pcm16 (24 kHz), g711_ulaw or g711_alaw."));
            }

            config = config with { Format = found };
        }

        return config.WithTranscriptionAndTurns(session["input_audio_transcription"], session, "session");
    }

    /// <summary>The <c>session</c> object of <c>session.created</c> and <c>session.updated</c>.</summary>
    public JsonObject Render(string id) => new()
    {
        ["type"] = "transcription",
        ["id"] = id,
        ["object"] = "realtime.transcription_session",
        ["audio"] = new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["format"] = Format.Encoding == Runtime.Audio.SampleEncoding.PcmSigned16
                    ? new JsonObject { ["type"] = Format.Type, ["rate"] = Format.SampleRate }
                    : new JsonObject { ["type"] = Format.Type },
                ["transcription"] = Transcription(),
                ["turn_detection"] = TurnDetection(),
                ["noise_reduction"] = null,
            },
        },
        ["include"] = null,
    };

    /// <summary>The <c>session</c> object of <c>transcription_session.updated</c>.</summary>
    public JsonObject RenderBeta(string id) => new()
    {
        ["id"] = id,
        ["object"] = "realtime.transcription_session",
        ["input_audio_format"] = Format.BetaName,
        ["input_audio_transcription"] = Transcription(),
        ["turn_detection"] = TurnDetection(),
        ["input_audio_noise_reduction"] = null,
    };

    private (RealtimeSessionConfig? Config, RealtimeError? Error) WithTranscriptionAndTurns(JsonNode? transcription, JsonObject? turnsParent, string path)
    {
        var config = this;
        if (transcription is JsonObject fields)
        {
            if (fields["model"] is JsonNode model)
            {
                config = config with { Model = model.ToString() };
            }

            if (fields.ContainsKey("language"))
            {
                config = config with { Language = fields["language"]?.ToString() is { Length: > 0 } language ? language : null };
            }

            if (fields["prompt"] is JsonNode prompt)
            {
                config = config with { Prompt = prompt.ToString() };
            }
        }

        if (turnsParent is not null && turnsParent.TryGetPropertyValue("turn_detection", out var turns))
        {
            var type = turns?["type"]?.ToString();
            if (turns is not null && type != "server_vad")
            {
                return (null, RealtimeError.Invalid($"{path}.turn_detection.type", $"turn_detection type '{type}' is not supported; use server_vad (this server's endpointing) or null to commit turns yourself."));
            }

            config = config with { ServerVad = turns is not null };
        }

        return (config, null);
    }

    private JsonObject Transcription() => new() { ["model"] = Model, ["language"] = Language, ["prompt"] = Prompt };

    // The endpointing settings (docs/streaming.md) decide turns; OpenAI's VAD fields are reported, not applied.
    private JsonObject? TurnDetection() => ServerVad ? new JsonObject { ["type"] = "server_vad" } : null;
}
