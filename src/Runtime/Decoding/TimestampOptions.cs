namespace SpeechServe.Runtime.Decoding;

/// <summary>How decoded frames become word and segment times.</summary>
public sealed record TimestampOptions
{
    /// <summary>Seconds per decoder frame: 0.04 for the reference encoder (4 feature frames of 10 ms).</summary>
    public double FrameDuration { get; init; } = 0.04;

    /// <summary>A pause of at least this many seconds between words starts a new segment.</summary>
    public double SegmentPause { get; init; } = 0.8;

    /// <summary>A segment never grows beyond this many seconds (a longer word still gets its own segment).</summary>
    public double MaxSegmentDuration { get; init; } = 30;

    /// <summary>The audio length in seconds; times are clamped to it. Null uses frames × <see cref="FrameDuration"/>.</summary>
    public double? AudioDuration { get; init; }
}
