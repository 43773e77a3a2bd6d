using Polly;
using Polly.CircuitBreaker;
using Microsoft.ML.OnnxRuntime;
using SpeechServe.Runtime.Streaming;

namespace SpeechServe.Serving.Resilience;

/// <summary>
/// The inference circuit breaker of one served model (a Polly circuit breaker). It counts each REST
/// recognition once and each encoder run of a stream once, through the same pipeline; runs that fail in
/// ONNX Runtime count as failures. When enough fail, the breaker opens and recognition is refused (503
/// with Retry-After; open streams end at their next encoder run) for
/// <see cref="InferenceBreakerOptions.BreakSeconds"/> instead of queueing work that would fail too. After
/// the break one trial runs: success closes the breaker, failure opens it again. Refused, cancelled and
/// bad requests do not count.
/// </summary>
public sealed partial class InferenceCircuitBreaker : IEncoderRunPolicy
{
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _clock;
    private readonly string _modelId;
    private readonly ILogger _logger;
    private OpenWindow? _open;

    /// <summary>Creates the breaker of model <paramref name="modelId"/>.</summary>
    public InferenceCircuitBreaker(string modelId, InferenceBreakerOptions options, ILogger logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _modelId = modelId;
        _logger = logger;
        _clock = clock ?? TimeProvider.System;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _clock }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(options.SamplingDurationSeconds),
                BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
                ShouldHandle = new PredicateBuilder().Handle<OnnxRuntimeException>(),
                OnOpened = args =>
                {
                    var reason = args.Outcome.Exception?.Message ?? "encoder runs failed";
                    Volatile.Write(ref _open, new OpenWindow(_clock.GetUtcNow() + args.BreakDuration));
                    Log.Opened(_logger, _modelId, args.BreakDuration.TotalSeconds, reason);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    Log.HalfOpened(_logger, _modelId);
                    return default;
                },
                OnClosed = _ =>
                {
                    Volatile.Write(ref _open, null);
                    Log.Closed(_logger, _modelId);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Whether the breaker is open and its break has not ended (a trial request would not be let through yet).</summary>
    public bool IsOpen => RetryAfter is not null;

    /// <summary>While open, the time left in the break (whole seconds, at least 1); otherwise null.</summary>
    public TimeSpan? RetryAfter
    {
        get
        {
            var left = Volatile.Read(ref _open) is { } open ? open.Until - _clock.GetUtcNow() : TimeSpan.Zero;
            return left > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(left.TotalSeconds))) : null;
        }
    }

    /// <summary>Runs one recognition through the breaker.</summary>
    /// <exception cref="BrokenCircuitException">The breaker is open, or half-open with its trial running.</exception>
    /// <exception cref="OnnxRuntimeException">The encoder run failed (logged here).</exception>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> recognize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recognize);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (run, token) => await run(token).ConfigureAwait(false), recognize, cancellationToken).ConfigureAwait(false);
        }
        catch (OnnxRuntimeException ex)
        {
            Log.RunFailed(_logger, _modelId, ex.Message);
            throw;
        }
    }

    /// <summary>Runs one encoder run of a stream through the breaker.</summary>
    /// <exception cref="BrokenCircuitException">The breaker is open, or half-open with its trial running.</exception>
    /// <exception cref="OnnxRuntimeException">The encoder run failed (logged here).</exception>
    public TResult Execute<TResult>(Func<TResult> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return _pipeline.Execute(static run => run(), run);
        }
        catch (OnnxRuntimeException ex)
        {
            Log.RunFailed(_logger, _modelId, ex.Message);
            throw;
        }
    }

    private sealed record OpenWindow(DateTimeOffset Until);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Inference circuit of {ModelId} opened for {BreakSeconds} s: {Reason}")]
        public static partial void Opened(ILogger logger, string modelId, double breakSeconds, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Inference circuit of {ModelId} half-open: letting a trial request through")]
        public static partial void HalfOpened(ILogger logger, string modelId);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Inference circuit of {ModelId} closed: inference succeeds again")]
        public static partial void Closed(ILogger logger, string modelId);

        [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Encoder run of {ModelId} failed: {Reason}")]
        public static partial void RunFailed(ILogger logger, string modelId, string reason);
    }
}
