using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using SpeechServe.Adapters.Packages;

namespace SpeechServe.Adapters.Loading;

/// <summary>
/// Loads adapter versions through a Polly pipeline: a retry (with backoff) around a per-version circuit
/// breaker around a per-attempt timeout. I/O errors and timeouts are retried; a package that fails its
/// checks is not (it will fail again) but counts towards the breaker, which then refuses that version
/// for <see cref="AdapterLoadOptions.BreakDuration"/> instead of reading it again and again.
/// </summary>
public sealed class AdapterLoadPipeline
{
    private readonly AdapterLoadOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, ResiliencePipeline> _pipelines = new(StringComparer.Ordinal);

    /// <summary>Creates the pipeline factory.</summary>
    /// <param name="options">Timeout, retry and breaker settings; the defaults when null.</param>
    /// <param name="timeProvider">The clock for delays, timeouts and breaks; the system clock when null.</param>
    public AdapterLoadPipeline(AdapterLoadOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new AdapterLoadOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Runs <paramref name="load"/> for version <paramref name="version"/> of <paramref name="name"/> under the policies.</summary>
    /// <exception cref="BrokenCircuitException">The version failed too often recently; it is not tried now.</exception>
    /// <exception cref="TimeoutRejectedException">The last attempt timed out.</exception>
    public T Execute<T>(string name, int version, Func<CancellationToken, T> load, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(load);
        var pipeline = _pipelines.GetOrAdd($"{name}@{version}", _ => Build());
        return pipeline.Execute(static (state, token) => state(token), load, cancellationToken);
    }

    /// <summary>Forgets the breaker state of every version of <paramref name="name"/> (after a delete).</summary>
    public void Forget(string name)
    {
        foreach (var key in _pipelines.Keys.Where(k => k.StartsWith(name + "@", StringComparison.Ordinal)))
        {
            _pipelines.TryRemove(key, out _);
        }
    }

    private ResiliencePipeline Build()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _timeProvider };
        if (_options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetries,
                Delay = _options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<TimeoutRejectedException>(),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 1.0,
            MinimumThroughput = Math.Max(2, _options.BreakerFailureThreshold),
            SamplingDuration = _options.BreakerSamplingDuration,
            BreakDuration = _options.BreakDuration,
            ShouldHandle = new PredicateBuilder()
                .Handle<IOException>()
                .Handle<TimeoutRejectedException>()
                .Handle<AdapterPackageException>()
                .Handle<InvalidDataException>(),
        });
        builder.AddTimeout(_options.AttemptTimeout);
        return builder.Build();
    }
}
