using System.Globalization;

namespace SpeechServe.Export.Adaptation;

/// <summary>The progress display's text: one line per stage, and while training the step, loss, dev WER and time left.</summary>
public static class ProgressLine
{
    /// <summary>Formats <paramref name="progress"/>.</summary>
    public static string Format(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return progress.Stage switch
        {
            "validating" => $"Checking the dataset: row {progress.RowsChecked} of {progress.Rows}",
            "preparing" => "Reading the base weights and writing the features",
            "packaging" => $"Packing the adapter: dev WER {Percent(progress.BestDevWer)} (base {Percent(progress.BaseDevWer)})",
            _ => string.Create(CultureInfo.InvariantCulture,
                $"step {progress.Step} epoch {progress.Epoch} loss {progress.Loss:0.000} dev WER {Percent(progress.DevWer)} (best {Percent(progress.BestDevWer)}, base {Percent(progress.BaseDevWer)}) {progress.TimeLeft:m\\:ss} left"),
        };
    }

    /// <summary>Whether <paramref name="next"/> deserves a line of its own in a log after <paramref name="last"/>.</summary>
    public static bool IsMilestone(TrainingProgress? last, TrainingProgress next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return last is null || last.Stage != next.Stage || last.Epoch != next.Epoch || last.BaseDevWer != next.BaseDevWer
            || (next.Stage == "training" && next.Step % 25 == 0 && next.Step != last.Step)
            || (next.Stage == "validating" && (next.RowsChecked == next.Rows || next.RowsChecked % 100 == 0));
    }

    /// <summary>A WER as a percentage with one decimal, or a dash before it is known.</summary>
    public static string Percent(double? wer) => wer is { } value ? (100 * value).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";
}
