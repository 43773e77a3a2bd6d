using SpeechServe.Adapters.Registry;
using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Recognition;
using SpeechServe.Runtime.Translation;
using SpeechServe.Serving.Resilience;

namespace SpeechServe.Serving.Models;

/// <summary>A loaded base model with its recognizer, its translator and the adapters it serves.</summary>
/// <param name="Model">The base model.</param>
/// <param name="Recognizer">Its batched recognizer.</param>
/// <param name="Translator">Its batched translator, for translation adapters.</param>
/// <param name="Adapters">Its adapter registry.</param>
/// <param name="Created">When the repository was written, for the OpenAI model list.</param>
/// <param name="Breaker">The circuit breaker its encoder runs go through.</param>
public sealed record ServedModel(SpeechModel Model, SpeechRecognizer Recognizer, SpeechTranslator Translator, AdapterRegistry Adapters, DateTimeOffset Created, InferenceCircuitBreaker Breaker)
{
    /// <summary>The task of each of its adapters.</summary>
    public AdapterTasks AdapterTasks { get; } = new(Adapters);
}

/// <summary>An adapter as served: its name, version and weights.</summary>
public sealed record ServedAdapter(string Name, int Version, AdapterWeights Weights);

/// <summary>
/// What a request's <c>model</c> field selected, holding a lease on the adapter version: dispose it when
/// the request ends, so a replaced or deleted version can be released.
/// </summary>
/// <param name="Served">The base model that runs it.</param>
/// <param name="Lease">The lease on the adapter version, or null for the base model itself.</param>
public sealed record ModelSelection(ServedModel Served, AdapterLease? Lease) : IDisposable
{
    /// <summary>The adapter version the request runs on, or null for the base model.</summary>
    public ServedAdapter? Adapter { get; } = Lease is null ? null : new ServedAdapter(Lease.Name, Lease.Version, Lease.Weights);

    /// <summary>The weights fed to the encoder.</summary>
    public AdapterWeights Weights => Adapter?.Weights ?? Served.Model.BaseAdapter;

    /// <summary>What the selected model does: a base model transcribes, an adapter as its head says.</summary>
    public SpeechTask Task => AdapterTasks.Of(Weights);

    /// <summary>The id the client asked for.</summary>
    public string Id => Adapter?.Name ?? Served.Model.Id;

    /// <summary>The ISO-639-1 language of the speech the selected model recognises (an adapter's own, else its base model's).</summary>
    public string Language => Lease?.Language ?? Served.Model.Manifest.Language;

    /// <summary>Whether <paramref name="language"/> (ISO-639-1, any case) is the <see cref="Language"/>.</summary>
    public bool Serves(string language) => string.Equals(language, Language, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Names what runs the request in response <paramref name="headers"/>: <c>X-SpeechServe-Model</c> (the base model)
    /// and, on an adapter, <c>X-SpeechServe-Adapter: name@version</c>.
    /// </summary>
    public void WriteHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers["X-SpeechServe-Model"] = Served.Model.Id;
        if (Adapter is { } adapter)
        {
            headers["X-SpeechServe-Adapter"] = $"{adapter.Name}@{adapter.Version}";
        }
    }

    /// <summary>Ends the lease.</summary>
    public void Dispose() => Lease?.Dispose();
}
