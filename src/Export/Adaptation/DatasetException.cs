using SpeechServe.Export.Repository;

namespace SpeechServe.Export.Adaptation;

/// <summary>A dataset was refused: the message says why, <see cref="Problems"/> lists every bad row.</summary>
public sealed class DatasetException : ExportException
{
    /// <summary>Creates the refusal.</summary>
    public DatasetException(string message, IReadOnlyList<RowProblem>? problems = null)
        : base(Describe(message, problems ?? []))
    {
        Summary = message;
        Problems = problems ?? [];
    }

    /// <summary>The reason without the row list.</summary>
    public string Summary { get; }

    /// <summary>The bad rows, in line order.</summary>
    public IReadOnlyList<RowProblem> Problems { get; }

    private static string Describe(string message, IReadOnlyList<RowProblem> problems) =>
        problems.Count == 0 ? message : $"{message}\n{string.Join('\n', problems.Select(p => "  " + p))}";
}
