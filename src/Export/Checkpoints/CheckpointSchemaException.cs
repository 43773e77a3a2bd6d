namespace SpeechServe.Export.Checkpoints;

/// <summary>A checkpoint does not match the tensors its architecture requires.</summary>
public sealed class CheckpointSchemaException : Exception
{
    /// <summary>Creates an exception listing every problem.</summary>
    public CheckpointSchemaException(IReadOnlyList<SchemaProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates an exception with a message and no problem list.</summary>
    public CheckpointSchemaException()
        : this([])
    {
    }

    /// <summary>Creates an exception with a message and no problem list.</summary>
    public CheckpointSchemaException(string message)
        : base(message)
    {
        Problems = [];
    }

    /// <summary>Creates an exception with a message, a cause and no problem list.</summary>
    public CheckpointSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    /// <summary>Every mismatch, in schema order then checkpoint order.</summary>
    public IReadOnlyList<SchemaProblem> Problems { get; }

    private static string Describe(IReadOnlyList<SchemaProblem> problems) => problems.Count switch
    {
        0 => "The checkpoint does not match its schema.",
        1 => $"The checkpoint does not match its schema: {problems[0].Message}",
        _ => $"The checkpoint does not match its schema ({problems.Count} problems):{Environment.NewLine}"
            + string.Join(Environment.NewLine, problems.Select(p => "  " + p.Message)),
    };
}
