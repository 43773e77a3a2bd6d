namespace SpeechServe.Export.Adaptation;

/// <summary>One row of a dataset's metadata file.</summary>
/// <param name="Line">The row's line number in the metadata file (1-based; the CSV header is line 1).</param>
/// <param name="FileName">The audio file, relative to the dataset directory.</param>
/// <param name="Transcription">The transcription as written.</param>
public sealed record DatasetRow(int Line, string FileName, string Transcription);

/// <summary>Why a row cannot be used.</summary>
/// <param name="Line">The row's line number in the metadata file.</param>
/// <param name="FileName">The row's audio file, empty when the row names none.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record RowProblem(int Line, string FileName, string Message)
{
    /// <inheritdoc/>
    public override string ToString() =>
        FileName.Length == 0 ? $"line {Line}: {Message}" : $"line {Line} ({FileName}): {Message}";
}
