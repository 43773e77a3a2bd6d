namespace SpeechServe.Serving.Streaming;

/// <summary>
/// The messages waiting for one client. A partial replaces a partial that is still waiting, so a slow reader
/// gets the latest partial, not all of them; finals, <c>done</c> and errors are never dropped. Memory is
/// bounded: past <see cref="Capacity"/> waiting messages, <see cref="TryEnqueue"/> refuses and the stream is closed.
/// </summary>
public sealed class OutgoingMessages(int capacity) : IDisposable
{
    private readonly LinkedList<StreamMessage> _messages = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly Lock _lock = new();
    private bool _completed;

    /// <summary>Most waiting messages.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Messages waiting.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>Adds a message; false when the queue is full (or completed) and the message was not added.</summary>
    public bool TryEnqueue(StreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }

            if (message.IsPartial && _messages.Last is { Value.IsPartial: true } last)
            {
                last.Value = message;
                return true;
            }

            if (_messages.Count >= Capacity)
            {
                return false;
            }

            _messages.AddLast(message);
        }

        _available.Release();
        return true;
    }

    /// <summary>Adds a last message even past capacity (an error or <c>done</c>), then accepts no more.</summary>
    public void Complete(StreamMessage? last = null)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (last is not null)
            {
                _messages.AddLast(last);
            }
        }

        // One release for the last message, one for the end.
        _available.Release(last is null ? 1 : 2);
    }

    /// <summary>The next message, or null once the queue is completed and empty.</summary>
    public async Task<StreamMessage?> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_messages.First is { } first)
                {
                    _messages.RemoveFirst();
                    return first.Value;
                }

                if (_completed)
                {
                    _available.Release();
                    return null;
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _available.Dispose();
}
