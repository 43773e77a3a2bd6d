using System.Text.Json;

namespace SpeechServe.Bench.Load.Accuracy;

/// <summary>
/// One labelled test set of training/data (a <c>SET.jsonl</c> manifest: one utterance per line with its
/// <c>audio</c> path, relative to the manifest's directory, and its reference <c>text</c>), and the model id
/// that transcribes it: the base model or a domain's adapter.
/// </summary>
internal sealed record TestSet(string Name, string Model, IReadOnlyList<LabelledClip> Clips)
{
    /// <summary>Parses <c>name;model;manifest.jsonl</c> and reads the manifest's audio.</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="limit">Read only the first utterances of the manifest; 0 reads all.</param>
    public static TestSet Parse(string text, int limit)
    {
        var parts = text.Split(';');
        if (parts.Length != 3)
        {
            throw new ArgumentException($"--set wants 'name;model;manifest.jsonl', got '{text}'");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(parts[2]))!;
        var lines = File.ReadLines(parts[2]).Where(line => line.Length > 0);
        var clips = (limit > 0 ? lines.Take(limit) : lines).Select(line =>
        {
            using var entry = JsonDocument.Parse(line);
            var audio = entry.RootElement.GetProperty("audio").GetString()!;
            var reference = entry.RootElement.GetProperty("text").GetString()!;
            return new LabelledClip(SpeechClip.Read(Path.Combine(directory, audio)), reference);
        }).ToList();
        return new TestSet(parts[0], parts[1], clips);
    }
}

/// <summary>A clip and what was said in it.</summary>
internal sealed record LabelledClip(SpeechClip Clip, string Reference);
