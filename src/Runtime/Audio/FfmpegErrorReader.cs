namespace SpeechServe.Runtime.Audio;

/// <summary>Drains ffmpeg's stderr, keeping the input stream description and the last few lines.</summary>
internal sealed class FfmpegErrorReader(StreamReader stderr, int linesKept)
{
    private const int MaxLineLength = 500;
    private readonly Queue<string> _lastLines = new();
    private bool _inOutputSection;

    /// <summary>The first input audio stream ffmpeg reported, if any.</summary>
    public FfmpegStreamInfo? InputStream { get; private set; }

    /// <summary>The last meaningful line ffmpeg wrote, for error messages.</summary>
    public string? LastMessage => _lastLines.LastOrDefault(line => !line.StartsWith("Conversion failed", StringComparison.Ordinal));

    /// <summary>Reads until end of stream.</summary>
    public async Task ReadAsync()
    {
        while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (trimmed.StartsWith("Output #", StringComparison.Ordinal))
            {
                _inOutputSection = true;
            }

            if (!_inOutputSection && InputStream is null)
            {
                InputStream = FfmpegStreamInfo.TryParse(trimmed);
            }

            _lastLines.Enqueue(trimmed.Length > MaxLineLength ? trimmed[..MaxLineLength] : trimmed);
            if (_lastLines.Count > linesKept)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
