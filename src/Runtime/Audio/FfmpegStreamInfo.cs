using System.Globalization;
using System.Text.RegularExpressions;

namespace SpeechServe.Runtime.Audio;

/// <summary>The input audio stream as ffmpeg describes it on stderr (codec, sample rate, channels).</summary>
internal sealed partial record FfmpegStreamInfo(string Codec, int? SampleRate, int? Channels)
{
    /// <summary>Parses a line like <c>Stream #0:0: Audio: flac, 44100 Hz, stereo, s16</c>; null if it is not one.</summary>
    public static FfmpegStreamInfo? TryParse(string line)
    {
        var match = AudioStreamLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        int? rate = int.TryParse(match.Groups["rate"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null;
        return new FfmpegStreamInfo(match.Groups["codec"].Value, rate, ChannelsOf(match.Groups["layout"].Value.Trim()));
    }

    private static int? ChannelsOf(string layout)
    {
        var channels = ChannelCount().Match(layout);
        if (channels.Success)
        {
            return int.Parse(channels.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        }

        var name = layout.Split('(')[0];
        return name switch
        {
            "mono" => 1,
            "stereo" or "downmix" => 2,
            "2.1" or "3.0" => 3,
            "quad" or "4.0" or "3.1" => 4,
            "5.0" or "4.1" => 5,
            "5.1" or "6.0" => 6,
            "6.1" or "7.0" => 7,
            "7.1" => 8,
            _ => null,
        };
    }

    [GeneratedRegex(@"Stream #\d+:\d+.*?: Audio: (?<codec>[A-Za-z0-9_]+).*?, (?<rate>\d+) Hz, (?<layout>[^,]+)")]
    private static partial Regex AudioStreamLine();

    [GeneratedRegex(@"^(\d+) channels")]
    private static partial Regex ChannelCount();
}
