namespace SpeechServe.Export.Repository;

/// <summary>An export was refused: bad input (checkpoint, config, vocabulary) or an output that is in the way.</summary>
public class ExportException : Exception
{
    /// <summary>Creates an exception without a message.</summary>
    public ExportException()
    {
    }

    /// <summary>Creates an exception with a message for the user.</summary>
    public ExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message for the user and its cause.</summary>
    public ExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
