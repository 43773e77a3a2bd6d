namespace SpeechServe.Export.Adaptation;

/// <summary>Where an adaptation stands; each report replaces the previous one.</summary>
public sealed record TrainingProgress
{
    /// <summary><c>validating</c>, <c>preparing</c>, <c>training</c> or <c>packaging</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>Rows checked so far (validating).</summary>
    public int RowsChecked { get; init; }

    /// <summary>Rows in the metadata (validating).</summary>
    public int Rows { get; init; }

    /// <summary>Optimiser steps taken.</summary>
    public int Step { get; init; }

    /// <summary>Completed epochs.</summary>
    public int Epoch { get; init; }

    /// <summary>The last step's CTC loss.</summary>
    public double? Loss { get; init; }

    /// <summary>Dev WER of the base model.</summary>
    public double? BaseDevWer { get; init; }

    /// <summary>Dev WER after the last epoch.</summary>
    public double? DevWer { get; init; }

    /// <summary>The best dev WER so far: the adapter that will be packaged.</summary>
    public double? BestDevWer { get; init; }

    /// <summary>Training time spent.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Training time left in the budget.</summary>
    public TimeSpan TimeLeft { get; init; }
}
