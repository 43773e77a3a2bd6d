namespace SpeechServe.Adapters.Packages;

/// <summary>An adapter package broke a rule of the package format; <see cref="Rule"/> says which.</summary>
public sealed class AdapterPackageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AdapterPackageException()
        : this(AdapterPackageRules.Invalid, "the adapter package is not valid.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public AdapterPackageException(string message)
        : this(AdapterPackageRules.Invalid, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AdapterPackageException(string message, Exception innerException)
        : this(AdapterPackageRules.Invalid, message, innerException)
    {
    }

    /// <summary>Creates the exception for a broken <paramref name="rule"/>.</summary>
    /// <param name="rule">One of <see cref="AdapterPackageRules"/>.</param>
    /// <param name="message">What is wrong, naming the file, tensor or field.</param>
    /// <param name="innerException">The reader's own error, when there is one.</param>
    public AdapterPackageException(string rule, string message, Exception? innerException = null)
        : base($"{message} (rule {rule})", innerException)
    {
        Rule = rule;
        Reason = message;
    }

    /// <summary>The rule that failed, one of <see cref="AdapterPackageRules"/>.</summary>
    public string Rule { get; }

    /// <summary>The message without the rule.</summary>
    public string Reason { get; }
}
