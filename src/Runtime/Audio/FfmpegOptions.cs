namespace SpeechServe.Runtime.Audio;

/// <summary>Where to find ffmpeg for the containers that are not decoded natively.</summary>
public sealed record FfmpegOptions
{
    /// <summary>The ffmpeg executable: a path, or a name looked up on PATH. Default <c>ffmpeg</c>.</summary>
    public string ExecutablePath { get; init; } = "ffmpeg";
}
