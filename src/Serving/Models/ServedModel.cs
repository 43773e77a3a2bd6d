using SpeechServe.Runtime.Encoder;
using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Recognition;

namespace SpeechServe.Serving.Models;

/// <summary>A loaded base model with its recognizer and the adapters it serves.</summary>
/// <param name="Model">The base model.</param>
/// <param name="Recognizer">Its batched recognizer.</param>
/// <param name="Adapters">Adapters by name.</param>
/// <param name="Created">When the repository was written, for the OpenAI model list.</param>
public sealed record ServedModel(SpeechModel Model, SpeechRecognizer Recognizer, IReadOnlyDictionary<string, ServedAdapter> Adapters, DateTimeOffset Created);

/// <summary>An adapter as served: its name, version and weights.</summary>
public sealed record ServedAdapter(string Name, int Version, AdapterWeights Weights);

/// <summary>What a request's <c>model</c> field selected.</summary>
/// <param name="Served">The base model that runs it.</param>
/// <param name="Adapter">The adapter, or null for the base model itself.</param>
public sealed record ModelSelection(ServedModel Served, ServedAdapter? Adapter)
{
    /// <summary>The weights fed to the encoder.</summary>
    public AdapterWeights Weights => Adapter?.Weights ?? Served.Model.BaseAdapter;

    /// <summary>The id the client asked for.</summary>
    public string Id => Adapter?.Name ?? Served.Model.Id;
}
