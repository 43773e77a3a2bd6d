namespace SpeechServe.Serving.AudioApi;

/// <summary>The <c>response_format</c> values of OpenAI's audio API.</summary>
public enum ResponseFormat
{
    /// <summary><c>{"text": ...}</c>.</summary>
    Json,

    /// <summary>Plain text.</summary>
    Text,

    /// <summary>SubRip subtitles.</summary>
    Srt,

    /// <summary>WebVTT subtitles.</summary>
    Vtt,

    /// <summary>JSON with duration, segments and, on request, words.</summary>
    VerboseJson,
}
