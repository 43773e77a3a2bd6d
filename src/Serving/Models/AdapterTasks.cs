using System.Collections.Concurrent;
using SpeechServe.Adapters.Registry;
using SpeechServe.Runtime.Encoder;

namespace SpeechServe.Serving.Models;

/// <summary>
/// The task of each adapter version of one base model, learnt from its weights (a translation head or not).
/// The registry does not say it without a lease, and a version's weights never change, so each version is
/// leased at most once for it, when a request has not already shown it.
/// </summary>
public sealed class AdapterTasks(AdapterRegistry registry)
{
    private readonly ConcurrentDictionary<(string Name, int Version), SpeechTask> _known = new();

    /// <summary>The task of <paramref name="weights"/>.</summary>
    public static SpeechTask Of(AdapterWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return weights.Translation is null ? SpeechTask.Transcription : SpeechTask.Translation;
    }

    /// <summary>Records the task of a version a request leased.</summary>
    public void Learn(AdapterLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _known.TryAdd((lease.Name, lease.Version), Of(lease.Weights));
    }

    /// <summary>The task of the active version of <paramref name="name"/>, or null when it has none or its weights cannot be loaded.</summary>
    public SpeechTask? Active(string name, int version)
    {
        if (_known.TryGetValue((name, version), out var task))
        {
            return task;
        }

        try
        {
            using var lease = registry.TryAcquire(name);
            if (lease is null)
            {
                return null;
            }

            Learn(lease);
            return Of(lease.Weights);
        }
        catch (AdapterRegistryException)
        {
            return null;
        }
    }
}
