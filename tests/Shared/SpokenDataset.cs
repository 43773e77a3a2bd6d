using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SpeechServe.Tests.Support;

/// <summary>
/// Writes datasets in the <c>adapt</c> layout (audio files and <c>metadata.csv</c>) with speech synthesised by
/// espeak-ng, so tests feed the real decoder real speech without committing audio.
/// </summary>
public static class SpokenDataset
{
    /// <summary>Sentences to speak; each is about two seconds long.</summary>
    public static IReadOnlyList<string> Sentences { get; } =
    [
        "the cat sat on the mat", "open the window please", "we will meet at noon", "turn left at the bridge",
        "the train leaves at seven", "she reads a book every night", "bring me a cup of tea", "the river runs to the sea",
    ];

    /// <summary>Speaks <paramref name="text"/> into the WAV file <paramref name="path"/> (22.05 kHz mono PCM).</summary>
    public static void Speak(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var start = new ProcessStartInfo("espeak-ng") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "en-us", "-w", path, text })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("espeak-ng did not start.");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"espeak-ng failed: {error}");
    }

    /// <summary>Writes <paramref name="count"/> spoken utterances (the sentences in turn) and their <c>metadata.csv</c>.</summary>
    public static void Write(string directory, int count)
    {
        var csv = new StringBuilder("file_name,transcription\n");
        for (var i = 0; i < count; i++)
        {
            var text = Sentences[i % Sentences.Count];
            Speak(Path.Combine(directory, "audio", $"{i:000}.wav"), text);
            csv.Append(CultureInfo.InvariantCulture, $"audio/{i:000}.wav,\"{text}\"\n");
        }

        File.WriteAllText(Path.Combine(directory, "metadata.csv"), csv.ToString());
    }
}
