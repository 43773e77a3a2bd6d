namespace SpeechServe.Runtime.Tests.Audio;

/// <summary>A fact that needs the ffmpeg CLI; skipped, with the reason, only where ffmpeg is not on PATH.</summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if (FfmpegCli.Path is null)
        {
            Skip = "ffmpeg is not installed (not found on PATH); install ffmpeg to run the compressed-audio tests.";
        }
    }
}

/// <summary>A theory that needs the ffmpeg CLI; skipped, with the reason, only where ffmpeg is not on PATH.</summary>
public sealed class FfmpegTheoryAttribute : TheoryAttribute
{
    public FfmpegTheoryAttribute()
    {
        if (FfmpegCli.Path is null)
        {
            Skip = "ffmpeg is not installed (not found on PATH); install ffmpeg to run the compressed-audio tests.";
        }
    }
}
