using Npgsql;
using SpeechServe.Adapters.Cluster;

namespace SpeechServe.Serving.Cluster;

/// <summary>
/// Listens on the adapter database's notification channel and reconciles on every notification, and every
/// <see cref="AdapterCluster.ReconcileInterval"/> without one (a notification sent while this replica was
/// reconnecting is never delivered). Reconnects after a second when the database goes away.
/// </summary>
public sealed partial class AdapterChangeListener(AdapterCluster cluster, ILogger<AdapterChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (AdapterCluster.IsUnreachable(ex) || ex is IOException))
            {
                Log.Disconnected(logger, ex.Message);
                await Task.Delay(ReconnectDelay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connection = await cluster.Database.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var listen = new NpgsqlCommand($"LISTEN {AdapterDatabase.Channel}", connection);
            await using (listen.ConfigureAwait(false))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }

            Log.Listening(logger);
            while (true)
            {
                // Also the catch-up after a (re)connection: what changed while nobody listened.
                await cluster.ReconcileAsync(stoppingToken).ConfigureAwait(false);
                await connection.WaitAsync(cluster.ReconcileInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening for adapter changes")]
        public static partial void Listening(ILogger logger);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Lost the adapter database ({Reason}); serving cached adapter versions and reconnecting")]
        public static partial void Disconnected(ILogger logger, string reason);
    }
}
