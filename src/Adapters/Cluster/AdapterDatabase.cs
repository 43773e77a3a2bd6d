using Npgsql;
using SpeechServe.Adapters.Registry;
using SpeechServe.Adapters.Store;

namespace SpeechServe.Adapters.Cluster;

/// <summary>
/// The adapter store shared by every replica, in PostgreSQL (docs/scaling.md): immutable versions with their
/// package files and content address, and each adapter's desired version. Every change commits in one
/// transaction that notifies <see cref="Channel"/>, so listening replicas reconcile at once.
/// </summary>
public sealed class AdapterDatabase : IAsyncDisposable
{
    /// <summary>The LISTEN/NOTIFY channel; the payload is the base model's id.</summary>
    public const string Channel = "speechserve_adapters";

    private const string Schema = """
        SELECT pg_advisory_xact_lock(hashtext('speechserve_adapters_schema'));
        CREATE TABLE IF NOT EXISTS speechserve_models (model_id text PRIMARY KEY);
        CREATE TABLE IF NOT EXISTS speechserve_adapters (
            model_id text NOT NULL, name text NOT NULL, desired_version integer,
            PRIMARY KEY (model_id, name));
        CREATE TABLE IF NOT EXISTS speechserve_adapter_versions (
            model_id text NOT NULL, name text NOT NULL, version integer NOT NULL, digest text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (model_id, name, version),
            FOREIGN KEY (model_id, name) REFERENCES speechserve_adapters ON DELETE CASCADE);
        CREATE TABLE IF NOT EXISTS speechserve_adapter_files (
            model_id text NOT NULL, name text NOT NULL, version integer NOT NULL, file_name text NOT NULL, content bytea NOT NULL,
            PRIMARY KEY (model_id, name, version, file_name),
            FOREIGN KEY (model_id, name, version) REFERENCES speechserve_adapter_versions ON DELETE CASCADE);
        """;

    private readonly NpgsqlDataSource _source;

    /// <summary>Connects lazily to the database <paramref name="connectionString"/> names.</summary>
    public AdapterDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _source = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>Opens a connection of its own, for LISTEN.</summary>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _source.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Creates the tables where missing and, the first time the database sees <paramref name="modelId"/>,
    /// imports the adapters of <paramref name="bundled"/> (the model repository's own) with their versions and active pointers.
    /// </summary>
    public Task PrepareAsync(string modelId, AdapterStore bundled, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                await ExecuteAsync(connection, transaction, Schema, cancellationToken).ConfigureAwait(false);
                if (await ExecuteAsync(connection, transaction, "INSERT INTO speechserve_models VALUES (@m) ON CONFLICT DO NOTHING", cancellationToken, ("m", modelId)).ConfigureAwait(false) == 0)
                {
                    return 0;
                }

                foreach (var adapter in bundled.List())
                {
                    await CreateAdapterAsync(connection, transaction, modelId, adapter.Name, cancellationToken).ConfigureAwait(false);
                    foreach (var version in adapter.Versions)
                    {
                        await InsertVersionAsync(connection, transaction, modelId, adapter.Name, version.Version, bundled.ReadFiles(adapter.Name, version.Version), cancellationToken).ConfigureAwait(false);
                    }

                    await SetDesiredAsync(connection, transaction, modelId, adapter.Name, adapter.ActiveVersion, cancellationToken).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken);

    /// <summary>Every adapter of <paramref name="modelId"/>: its desired version and each version's content address.</summary>
    public Task<IReadOnlyList<SharedAdapter>> ReadStateAsync(string modelId, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyList<SharedAdapter>>(
            async (connection, transaction) =>
            {
                await using var command = Command(
                    connection,
                    transaction,
                    """
                    SELECT a.name, a.desired_version, v.version, v.digest FROM speechserve_adapters a
                    JOIN speechserve_adapter_versions v USING (model_id, name) WHERE a.model_id = @m ORDER BY a.name, v.version
                    """,
                    ("m", modelId));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<(string Name, int? Desired, int Version, string Digest)>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetInt32(2), reader.GetString(3)));
                }

                return rows.GroupBy(r => r.Name, StringComparer.Ordinal)
                    .Select(g => new SharedAdapter(g.Key, g.First().Desired, g.ToDictionary(r => r.Version, r => r.Digest)))
                    .ToList();
            },
            cancellationToken);

    /// <summary>The package files of one version.</summary>
    public Task<IReadOnlyDictionary<string, byte[]>> ReadFilesAsync(string modelId, string name, int version, CancellationToken cancellationToken) =>
        InTransactionAsync<IReadOnlyDictionary<string, byte[]>>(
            async (connection, transaction) =>
            {
                await using var command = Command(
                    connection,
                    transaction,
                    "SELECT file_name, content FROM speechserve_adapter_files WHERE model_id = @m AND name = @n AND version = @v",
                    ("m", modelId),
                    ("n", name),
                    ("v", version));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    files[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
                }

                return files;
            },
            cancellationToken);

    /// <summary>Stores <paramref name="files"/> as the next version of <paramref name="name"/>, made desired when <paramref name="activate"/>.</summary>
    /// <returns>The new version.</returns>
    public Task<int> AddVersionAsync(string modelId, string name, IReadOnlyDictionary<string, byte[]> files, bool activate, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                await CreateAdapterAsync(connection, transaction, modelId, name, cancellationToken).ConfigureAwait(false);
                await LockAdapterAsync(connection, transaction, modelId, name, cancellationToken).ConfigureAwait(false);
                var version = await ScalarAsync(
                    connection, transaction, "SELECT coalesce(max(version), 0) + 1 FROM speechserve_adapter_versions WHERE model_id = @m AND name = @n", cancellationToken, ("m", modelId), ("n", name)).ConfigureAwait(false);
                await InsertVersionAsync(connection, transaction, modelId, name, version!.Value, files, cancellationToken).ConfigureAwait(false);
                if (activate)
                {
                    await SetDesiredAsync(connection, transaction, modelId, name, version, cancellationToken).ConfigureAwait(false);
                }

                await NotifyAsync(connection, transaction, modelId, cancellationToken).ConfigureAwait(false);
                return version.Value;
            },
            cancellationToken);

    /// <summary>Makes <paramref name="version"/> the desired version of <paramref name="name"/>.</summary>
    /// <exception cref="AdapterRegistryException">No such adapter or version.</exception>
    public Task ActivateAsync(string modelId, string name, int version, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                await LockAdapterAsync(connection, transaction, modelId, name, cancellationToken).ConfigureAwait(false);
                var versions = await VersionsAsync(connection, transaction, modelId, name, cancellationToken).ConfigureAwait(false);
                if (!versions.Contains(version))
                {
                    throw new AdapterRegistryException(
                        AdapterRegistryError.NotFound, $"adapter '{name}' has no version {version}; it has {string.Join(", ", versions)}.");
                }

                await SetDesiredAsync(connection, transaction, modelId, name, version, cancellationToken).ConfigureAwait(false);
                await NotifyAsync(connection, transaction, modelId, cancellationToken).ConfigureAwait(false);
                return version;
            },
            cancellationToken);

    /// <summary>Makes the highest version below the desired one desired.</summary>
    /// <returns>The version now desired.</returns>
    /// <exception cref="AdapterRegistryException">No such adapter, no desired version, or none older.</exception>
    public Task<int> RollbackAsync(string modelId, string name, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                var desired = await LockAdapterAsync(connection, transaction, modelId, name, cancellationToken).ConfigureAwait(false)
                    ?? throw new AdapterRegistryException(AdapterRegistryError.Conflict, $"adapter '{name}' has no active version to roll back from; activate one.");
                var versions = await VersionsAsync(connection, transaction, modelId, name, cancellationToken).ConfigureAwait(false);
                var previous = versions.Where(v => v < desired).Select(v => (int?)v).LastOrDefault()
                    ?? throw new AdapterRegistryException(AdapterRegistryError.Conflict, $"adapter '{name}' has no version older than {desired} to roll back to.");
                await SetDesiredAsync(connection, transaction, modelId, name, previous, cancellationToken).ConfigureAwait(false);
                await NotifyAsync(connection, transaction, modelId, cancellationToken).ConfigureAwait(false);
                return previous;
            },
            cancellationToken);

    /// <summary>Removes <paramref name="name"/> with all its versions.</summary>
    /// <exception cref="AdapterRegistryException">No such adapter.</exception>
    public Task DeleteAsync(string modelId, string name, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) =>
            {
                if (await ExecuteAsync(connection, transaction, "DELETE FROM speechserve_adapters WHERE model_id = @m AND name = @n", cancellationToken, ("m", modelId), ("n", name)).ConfigureAwait(false) == 0)
                {
                    throw NotFound(name);
                }

                await NotifyAsync(connection, transaction, modelId, cancellationToken).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    // A pooled connection the server closed (a database restart) fails on its first use; the pool is cleared and
    // the transaction, which never committed, runs once more on a fresh connection.
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && attempt == 1)
            {
                _source.Clear();
            }
        }
    }

    private static Task<int> CreateAdapterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelId, string name, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "INSERT INTO speechserve_adapters (model_id, name) VALUES (@m, @n) ON CONFLICT DO NOTHING", cancellationToken, ("m", modelId), ("n", name));

    private static async Task<int?> LockAdapterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelId, string name, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection, transaction, "SELECT desired_version FROM speechserve_adapters WHERE model_id = @m AND name = @n FOR UPDATE", ("m", modelId), ("n", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw NotFound(name);
        }

        return reader.IsDBNull(0) ? null : reader.GetInt32(0);
    }

    private static async Task<List<int>> VersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelId, string name, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection, transaction, "SELECT version FROM speechserve_adapter_versions WHERE model_id = @m AND name = @n ORDER BY version", ("m", modelId), ("n", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task InsertVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string modelId, string name, int version, IReadOnlyDictionary<string, byte[]> files, CancellationToken cancellationToken)
    {
        await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO speechserve_adapter_versions (model_id, name, version, digest) VALUES (@m, @n, @v, @d)",
            cancellationToken,
            ("m", modelId),
            ("n", name),
            ("v", version),
            ("d", AdapterChecksums.Digest(files))).ConfigureAwait(false);
        foreach (var (file, content) in files)
        {
            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO speechserve_adapter_files (model_id, name, version, file_name, content) VALUES (@m, @n, @v, @f, @c)",
                cancellationToken,
                ("m", modelId),
                ("n", name),
                ("v", version),
                ("f", file),
                ("c", content)).ConfigureAwait(false);
        }
    }

    private static Task<int> SetDesiredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelId, string name, int? version, CancellationToken cancellationToken) =>
        ExecuteAsync(
            connection,
            transaction,
            "UPDATE speechserve_adapters SET desired_version = @v WHERE model_id = @m AND name = @n",
            cancellationToken,
            ("m", modelId),
            ("n", name),
            ("v", (object?)version ?? DBNull.Value));

    private static Task<int> NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string modelId, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "SELECT pg_notify(@c, @m)", cancellationToken, ("c", Channel), ("m", modelId));

    private static async Task<int> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int?> ScalarAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int value ? value : null;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static AdapterRegistryException NotFound(string name) => new(AdapterRegistryError.NotFound, $"there is no adapter '{name}'.");
}

/// <summary>An adapter as the shared store holds it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="DesiredVersion">The version every replica should serve, or null for none.</param>
/// <param name="Digests">Each version's content address (<see cref="AdapterChecksums.Digest(string)"/>), by version.</param>
public sealed record SharedAdapter(string Name, int? DesiredVersion, IReadOnlyDictionary<int, string> Digests);
