namespace SpeechServe.Serving.Models;

/// <summary>What a model does with speech; each <c>/v1/audio</c> endpoint serves the models of one task.</summary>
public enum SpeechTask
{
    /// <summary>Speech to text in its own language: base models and recognition adapters (CTC heads).</summary>
    Transcription,

    /// <summary>Speech to English text: translation adapters (attention decoder heads).</summary>
    Translation,
}

/// <summary>The refusal a request gets when its model serves the other task.</summary>
public static class SpeechTaskRefusal
{
    /// <summary>The error code for a model that does not serve <paramref name="wanted"/>.</summary>
    public static string Code(SpeechTask wanted) => wanted == SpeechTask.Translation ? "model_not_translation" : "model_not_transcription";

    /// <summary>What to do instead: the endpoint the model belongs to and the models that serve <paramref name="wanted"/>.</summary>
    public static string Message(string model, SpeechTask wanted, IReadOnlyCollection<string> modelsForTask)
    {
        ArgumentNullException.ThrowIfNull(modelsForTask);
        var available = modelsForTask.Count == 0 ? "none on this server" : string.Join(", ", modelsForTask);
        return wanted == SpeechTask.Translation
            ? $"The model '{model}' does not translate speech: send it to /v1/audio/transcriptions. Translation models: {available}."
            : $"The model '{model}' translates speech into English text: send it to /v1/audio/translations. Transcription models: {available}.";
    }
}
