using Microsoft.Extensions.Options;
using Npgsql;
using SpeechServe.Adapters.Cluster;
using SpeechServe.Adapters.Registry;
using SpeechServe.Adapters.Store;
using SpeechServe.Serving.Admin;

namespace SpeechServe.Serving.Cluster;

/// <summary>
/// This replica's membership of a cluster sharing one PostgreSQL adapter store (docs/scaling.md): the registry of
/// every base model is reconciled with the database, one reconcile at a time, at start-up, on every notification,
/// periodically and after each change made through this replica. While the database is unreachable the
/// registries keep serving their cached versions.
/// </summary>
public sealed partial class AdapterCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartupReconcileTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<AdapterCacheReconciler> _reconcilers = [];
    private readonly ILogger<AdapterCluster> _logger;

    /// <summary>Connects (lazily) to the database of <see cref="AdapterOptions.DatabaseConnection"/>.</summary>
    public AdapterCluster(IOptions<AdapterOptions> options, ILogger<AdapterCluster> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        Database = new AdapterDatabase(options.Value.DatabaseConnection!);
        ReconcileInterval = TimeSpan.FromSeconds(options.Value.ReconcileSeconds);
    }

    /// <summary>The shared store.</summary>
    public AdapterDatabase Database { get; }

    /// <summary>The longest time between two reconciles.</summary>
    public TimeSpan ReconcileInterval { get; }

    /// <summary>
    /// Reconciles <paramref name="registry"/> from now on, first right away: a replica turns ready with the
    /// current versions, or, when the database cannot be reached within 10 s, with its cached ones.
    /// </summary>
    /// <param name="registry">The registry of a base model, its active cached versions loaded.</param>
    /// <param name="bundledAdapters">The model repository's adapter directory, imported when the database is new to the model.</param>
    public void Attach(AdapterRegistry registry, string bundledAdapters)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var reconciler = new AdapterCacheReconciler(registry, Database, new AdapterStore(bundledAdapters));
        _gate.Wait();
        try
        {
            _reconcilers.Add(reconciler);
            using var timeout = new CancellationTokenSource(StartupReconcileTimeout);
            ReconcileOneAsync(reconciler, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Log.ServingFromCache(_logger, registry.BaseModel.Id, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reconciles every attached registry with the database.</summary>
    /// <exception cref="NpgsqlException">The database could not be read.</exception>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var reconciler in _reconcilers)
            {
                await ReconcileOneAsync(reconciler, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reconciles after a change this replica committed; a failure is logged, the listener applies the change later.</summary>
    public async Task ApplyCommittedChangeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            Log.ReconcileFailed(_logger, ex.Message);
        }
    }

    /// <summary>Whether <paramref name="exception"/> says the database could not be reached or answered too late.</summary>
    public static bool IsUnreachable(Exception exception) => exception is NpgsqlException or TimeoutException or OperationCanceledException;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task ReconcileOneAsync(AdapterCacheReconciler reconciler, CancellationToken cancellationToken)
    {
        foreach (var problem in await reconciler.ReconcileAsync(cancellationToken).ConfigureAwait(false))
        {
            Log.NotApplied(_logger, reconciler.Registry.BaseModel.Id, problem);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The adapter database is unreachable at start-up; model {ModelId} serves its cached adapter versions: {Reason}")]
        public static partial void ServingFromCache(ILogger logger, string modelId, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Could not reconcile with the adapter database: {Reason}")]
        public static partial void ReconcileFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Model {ModelId} could not apply the desired state of {Problem}; it keeps serving what it served")]
        public static partial void NotApplied(ILogger logger, string modelId, string problem);
    }
}
