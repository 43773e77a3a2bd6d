using Microsoft.Extensions.Options;

namespace SpeechServe.Serving.Streaming;

/// <summary>
/// Counts open streams against <see cref="StreamingServerOptions.MaxConcurrentStreams"/> and holds shutdown
/// back until every open stream has sent its final (or the grace period ran out): when the host stops,
/// <see cref="Stopping"/> fires, each stream finishes its audio, and the stopping callback waits for them.
/// </summary>
public sealed class ActiveStreams
{
    private readonly int _limit;
    private readonly TimeSpan _grace;
    private readonly Lock _lock = new();
    private int _open;
    private TaskCompletionSource? _drained;

    /// <summary>Registers the shutdown wait with <paramref name="lifetime"/>.</summary>
    public ActiveStreams(IHostApplicationLifetime lifetime, IOptions<StreamingServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        _limit = options.Value.MaxConcurrentStreams;
        _grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
        Stopping = lifetime.ApplicationStopping;
        lifetime.ApplicationStopping.Register(WaitForStreams);
    }

    /// <summary>Fires when the server begins to stop; open streams then finish.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>Streams open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a slot; false when the limit is reached or the server is stopping.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_open >= _limit || Stopping.IsCancellationRequested)
            {
                return false;
            }

            _open++;
            return true;
        }
    }

    /// <summary>Gives a slot back.</summary>
    public void Exit()
    {
        lock (_lock)
        {
            _open--;
            if (_open == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    private void WaitForStreams()
    {
        Task drained;
        lock (_lock)
        {
            if (_open == 0)
            {
                return;
            }

            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }

        // The host runs stopping callbacks before it stops the server; blocking here is what keeps the
        // server up until the streams' finals are out.
        drained.Wait(_grace);
    }
}
