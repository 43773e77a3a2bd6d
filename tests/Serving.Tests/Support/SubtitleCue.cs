using System.Globalization;
using System.Text.RegularExpressions;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>One cue of an SRT or WebVTT document, with its number (SRT only) and times in seconds.</summary>
internal sealed partial record SubtitleCue(int? Number, double Start, double End, string Text)
{
    /// <summary>Parses SubRip: blocks of a number, <c>HH:MM:SS,mmm --> HH:MM:SS,mmm</c> and text; fails on anything else.</summary>
    public static IReadOnlyList<SubtitleCue> ParseSrt(string document)
    {
        var cues = new List<SubtitleCue>();
        foreach (var block in Blocks(document))
        {
            Assert.True(block.Length >= 3, $"SRT cue needs a number, a time line and text: '{string.Join("\\n", block)}'");
            Assert.True(int.TryParse(block[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number), $"SRT cue number '{block[0]}'");
            var (start, end) = Times(block[1], SrtTimes());
            cues.Add(new SubtitleCue(number, start, end, string.Join('\n', block[2..])));
        }

        return cues;
    }

    /// <summary>Parses WebVTT: a <c>WEBVTT</c> header, then cues of <c>HH:MM:SS.mmm --> HH:MM:SS.mmm</c> and text.</summary>
    public static IReadOnlyList<SubtitleCue> ParseVtt(string document)
    {
        var blocks = Blocks(document);
        Assert.True(blocks.Count > 0 && blocks[0][0] == "WEBVTT", $"WebVTT must start with a WEBVTT line: '{document}'");
        var cues = new List<SubtitleCue>();
        foreach (var block in blocks.Skip(1))
        {
            Assert.True(block.Length >= 2, $"WebVTT cue needs a time line and text: '{string.Join("\\n", block)}'");
            var (start, end) = Times(block[0], VttTimes());
            cues.Add(new SubtitleCue(null, start, end, string.Join('\n', block[1..])));
        }

        return cues;
    }

    private static List<string[]> Blocks(string document)
    {
        Assert.DoesNotContain("\r", document, StringComparison.Ordinal);
        return document.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(b => b.Trim('\n').Split('\n'))
            .Where(b => b.Length > 0 && b[0].Length > 0)
            .ToList();
    }

    private static (double Start, double End) Times(string line, Regex pattern)
    {
        var match = pattern.Match(line);
        Assert.True(match.Success, $"cue time line '{line}' is not 'HH:MM:SS{(pattern == SrtTimes() ? ',' : '.')}mmm --> ...'");
        return (Seconds(match, "s"), Seconds(match, "e"));
    }

    private static double Seconds(Match match, string prefix)
    {
        int Part(string name) => int.Parse(match.Groups[prefix + name].Value, CultureInfo.InvariantCulture);
        Assert.InRange(Part("m"), 0, 59);
        Assert.InRange(Part("s"), 0, 59);
        return (Part("h") * 3600) + (Part("m") * 60) + Part("s") + (Part("f") / 1000.0);
    }

    [GeneratedRegex(@"^(?<sh>\d{2,}):(?<sm>\d{2}):(?<ss>\d{2}),(?<sf>\d{3}) --> (?<eh>\d{2,}):(?<em>\d{2}):(?<es>\d{2}),(?<ef>\d{3})$")]
    private static partial Regex SrtTimes();

    [GeneratedRegex(@"^(?<sh>\d{2,}):(?<sm>\d{2}):(?<ss>\d{2})\.(?<sf>\d{3}) --> (?<eh>\d{2,}):(?<em>\d{2}):(?<es>\d{2})\.(?<ef>\d{3})$")]
    private static partial Regex VttTimes();
}
