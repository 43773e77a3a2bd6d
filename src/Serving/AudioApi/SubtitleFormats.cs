using System.Globalization;
using System.Text;
using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Serving.AudioApi;

/// <summary>Renders timed segments as SubRip and WebVTT subtitles.</summary>
public static class SubtitleFormats
{
    /// <summary>SubRip: numbered cues, <c>HH:MM:SS,mmm --> HH:MM:SS,mmm</c>.</summary>
    public static string ToSrt(IEnumerable<TimedSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            text.Append(CultureInfo.InvariantCulture, $"{segment.Id + 1}\n")
                .Append(Timestamp(segment.Start, ',')).Append(" --> ").Append(Timestamp(segment.End, ',')).Append('\n')
                .Append(segment.Text).Append("\n\n");
        }

        return text.ToString();
    }

    /// <summary>WebVTT: a <c>WEBVTT</c> header, then cues <c>HH:MM:SS.mmm --> HH:MM:SS.mmm</c>.</summary>
    public static string ToVtt(IEnumerable<TimedSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var text = new StringBuilder("WEBVTT\n\n");
        foreach (var segment in segments)
        {
            text.Append(Timestamp(segment.Start, '.')).Append(" --> ").Append(Timestamp(segment.End, '.')).Append('\n')
                .Append(segment.Text).Append("\n\n");
        }

        return text.ToString();
    }

    private static string Timestamp(double seconds, char millisecondSeparator)
    {
        var time = TimeSpan.FromMilliseconds(Math.Round(Math.Max(0, seconds) * 1000));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(int)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}{millisecondSeparator}{time.Milliseconds:000}");
    }
}
