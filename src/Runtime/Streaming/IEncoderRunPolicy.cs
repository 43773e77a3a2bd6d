namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// Wraps every encoder run of a <see cref="StreamingSession"/>, so that the host can count the outcomes and
/// refuse runs (the server's inference circuit breaker) without the runtime knowing about it.
/// </summary>
public interface IEncoderRunPolicy
{
    /// <summary>Runs <paramref name="run"/> once and returns its result, or throws without running it.</summary>
    TResult Execute<TResult>(Func<TResult> run);

    /// <summary>Runs <paramref name="recognize"/> once and returns its result (a chunk's share of a batched encoder call), or throws without running it.</summary>
    Task<TResult> ExecuteAsync<TResult>(Func<CancellationToken, Task<TResult>> recognize, CancellationToken cancellationToken);
}
