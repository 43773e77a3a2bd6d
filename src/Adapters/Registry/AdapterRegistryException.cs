namespace SpeechServe.Adapters.Registry;

/// <summary>Why a registry change was refused.</summary>
public enum AdapterRegistryError
{
    /// <summary>No such adapter or version.</summary>
    NotFound,

    /// <summary>The change does not fit the current state (e.g. nothing to roll back to).</summary>
    Conflict,

    /// <summary>The version cannot be loaded now (store failing, circuit open); retry later.</summary>
    Unavailable,
}

/// <summary>A registry change or lease was refused; <see cref="Error"/> says how.</summary>
public sealed class AdapterRegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AdapterRegistryException()
        : this(AdapterRegistryError.Conflict, "the adapter registry refused the change.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public AdapterRegistryException(string message)
        : this(AdapterRegistryError.Conflict, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AdapterRegistryException(string message, Exception innerException)
        : this(AdapterRegistryError.Conflict, message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AdapterRegistryException(AdapterRegistryError error, string message, Exception? innerException = null)
        : base(message, innerException) => Error = error;

    /// <summary>How the change was refused.</summary>
    public AdapterRegistryError Error { get; }
}
