using System.Collections.Concurrent;
using SpeechServe.Bench.Load.Rest;
using SpeechServe.Runtime.Evaluation;

namespace SpeechServe.Bench.Load.Accuracy;

/// <summary>
/// Word error rates as served: every test set posted to every target (servers that differ in one setting, such
/// as the int8 encoder), the first target the baseline, and the difference in points against it.
/// </summary>
internal static class AccuracySection
{
    public static async Task<string> RunAsync(BenchArguments options)
    {
        var targets = options.All("target").Select(ServerTarget.Parse).ToList();
        var limit = options.Int("limit", 0);
        var sets = options.All("set").Select(set => TestSet.Parse(set, limit)).ToList();
        var concurrency = options.Int("concurrency", 4);
        var rates = new double[sets.Count, targets.Count];
        for (var s = 0; s < sets.Count; s++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                using var client = new AudioClient(targets[t].Server, sets[s].Model);
                rates[s, t] = await WordErrorRateAsync(client, sets[s].Clips, concurrency).ConfigureAwait(false);
                Console.Error.WriteLine($"accuracy: {sets[s].Name} on {targets[t].Label}: WER {rates[s, t]:P2}");
            }
        }

        return Describe(targets, sets, rates, concurrency);
    }

    private static async Task<double> WordErrorRateAsync(AudioClient client, IReadOnlyList<LabelledClip> clips, int concurrency)
    {
        var errors = new ConcurrentBag<(int Errors, int Words)>();
        await Parallel.ForEachAsync(clips, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (clip, cancellation) =>
        {
            var hypothesis = await client.TranscribeAsync(clip.Clip, cancellation).ConfigureAwait(false);
            var reference = WordErrors.Words(clip.Reference);
            errors.Add((WordErrors.Distance(reference, WordErrors.Words(hypothesis.ToLowerInvariant())), reference.Length));
        }).ConfigureAwait(false);
        return (double)errors.Sum(e => e.Errors) / errors.Sum(e => e.Words);
    }

    private static string Describe(List<ServerTarget> targets, List<TestSet> sets, double[,] rates, int concurrency)
    {
        var headers = new List<string> { "test set", "model", "utterances", "words" };
        headers.AddRange(targets.Select(t => $"WER {t.Label}"));
        headers.AddRange(targets.Skip(1).Select(t => $"{t.Label} - {targets[0].Label} (points)"));
        var table = new MarkdownTable([.. headers]);
        for (var s = 0; s < sets.Count; s++)
        {
            var cells = new List<object> { sets[s].Name, sets[s].Model, sets[s].Clips.Count, sets[s].Clips.Sum(c => WordErrors.Words(c.Reference).Length) };
            cells.AddRange(Enumerable.Range(0, targets.Count).Select(t => MarkdownTable.Format(100 * rates[s, t], 2) + " %"));
            cells.AddRange(Enumerable.Range(1, targets.Count - 1).Select(t => Signed(100 * (rates[s, t] - rates[s, 0]))));
            table.Row([.. cells]);
        }

        var worst = Enumerable.Range(1, targets.Count - 1)
            .Select(t => (targets[t].Label, Loss: Enumerable.Range(0, sets.Count).Max(s => 100 * (rates[s, t] - rates[s, 0]))));
        var notes = new List<string>
        {
            $"Every utterance of each set posted once to each server ({concurrency} in flight, `response_format=json`).",
            "WER: word errors (substitutions, insertions, deletions) over the reference's words, transcripts lower-cased.",
        };
        notes.AddRange(worst.Select(w => $"Largest loss of {w.Label} against {targets[0].Label} on any set: {Signed(w.Loss)} points."));
        return $"{table}\n{string.Join(' ', notes)}\n\n";
    }

    private static string Signed(double points) => (points >= 0 ? "+" : "") + MarkdownTable.Format(points, 2);
}
