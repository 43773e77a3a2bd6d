using SpeechServe.Runtime.Encoder;

namespace SpeechServe.Adapters.Registry;

/// <summary>
/// A request's hold on one adapter version: the weights stay loaded, and the version stays usable even
/// if it is replaced or deleted meanwhile, until the lease is disposed. Dispose exactly when the request
/// ends; disposing twice is harmless.
/// </summary>
public sealed class AdapterLease : IDisposable
{
    private readonly ResidentAdapter _adapter;
    private readonly Action<ResidentAdapter> _onReleased;
    private int _disposed;

    internal AdapterLease(ResidentAdapter adapter, AdapterWeights weights, Action<ResidentAdapter> onReleased)
    {
        _adapter = adapter;
        _onReleased = onReleased;
        Weights = weights;
    }

    /// <summary>The adapter's name.</summary>
    public string Name => _adapter.Name;

    /// <summary>The version this request runs on.</summary>
    public int Version => _adapter.Version;

    /// <summary>The language of the speech the version recognises, e.g. <c>en</c>.</summary>
    public string Language => _adapter.Language;

    /// <summary>The version's weights.</summary>
    public AdapterWeights Weights { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _adapter.ReturnLease())
        {
            _onReleased(_adapter);
        }
    }
}
