using System.Data.Common;
using Npgsql;
using Vega.Lite.Config;

namespace Vega.Lite.Metadata.Postgres;

/// <summary>
/// The PostgreSQL metadata database (Attic's schema, docs/attic-database.md §1 and §4), through a bounded pool
/// (<see cref="PostgresUrl"/>). READ COMMITTED does not serialise writers as SQLite does, so two advisory locks stand in
/// where that mattered (§5.2): recording transactions share <see cref="RecordingLock"/>, which each of garbage
/// collection's orphan statements takes alone, migrations run under <see cref="MigrationLock"/>, and one process at a
/// time collects garbage under <see cref="CollectorLock"/>. Writers notify <see cref="CacheChange.Channel"/> inside
/// their transactions, and every server listens on a connection of its own.
/// </summary>
internal sealed class PostgresDatabase : MetadataDatabase
{
    /// <summary>Advisory lock keys, in the two-int form so they cannot collide with a one-bigint key another program takes.</summary>
    private const string RecordingLock = "1449617505, 1";
    private const string MigrationLock = "1449617505, 2";
    private const string CollectorLock = "1449617505, 3";

    /// <summary>How long a listening connection may be silent before it is checked with a query.</summary>
    private static readonly TimeSpan ListenerCheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>The first half of the per-NAR-hash lock; the second is <c>hashtext</c> of the hash (a collision only makes two NARs take turns).</summary>
    private const int NarHashLockClass = 1449617506;

    /// <summary>Every table of the schema the connection works in (the URL's <c>options=-csearch_path=…</c>, else <c>public</c>).</summary>
    public const string TablesQuery =
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";

    /// <summary>A table's columns; <c>{0}</c> is the table's name.</summary>
    public const string Columns =
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{0}'";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string url)
    {
        Description = PostgresUrl.Redact(url);
        _dataSource = PostgresUrl.CreateDataSource(url);
    }

    public override string Description { get; }

    public override DbConnection Open() => _dataSource.OpenConnection();

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    protected override string ColumnsQuery => Columns;

    public override bool HoldsConnectionsFreely => false;

    public override void CheckSchema()
    {
        using var connection = OpenForStart();
        var shape = Inspect(connection, null);
        var problem = shape.Kind switch
        {
            DatabaseKind.Empty => "is empty",
            DatabaseKind.LegacyVega => "has Vega.Lite's tables without Attic's",
            _ when VegaMigrations.Pending(connection, null, shape) is { Count: > 0 } pending =>
                $"lacks Vega.Lite's own tables (pending: {string.Join(", ", pending)})",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ConfigException($"database {Description} {problem}: run `vega-lite --mode db-migrations` (or start in monolithic mode) first");
        }
    }

    /// <summary>
    /// Empty: Attic's L2 schema (docs/attic-schema-postgres.sql) with its 15 <c>seaql_migrations</c> rows; atticd's:
    /// left as it is. Then Vega.Lite's own migrations, in the same transaction (PostgreSQL's DDL is transactional), all
    /// under <see cref="MigrationLock"/>, so processes starting at once take turns and the later ones find it done.
    /// </summary>
    public override string? Migrate(RemoteFiles remoteFiles)
    {
        using var connection = OpenForStart();
        Execute(connection, $"SELECT pg_advisory_lock({MigrationLock})", null);
        try
        {
            using var transaction = connection.BeginTransaction();
            var shape = Inspect(connection, transaction);
            if (shape.Kind == DatabaseKind.LegacyVega)
            {
                throw new ConfigException($"database {Description} has Vega.Lite's tables without Attic's, which no Vega.Lite makes: point [database] url at another database");
            }
            if (shape.Kind == DatabaseKind.Empty)
            {
                Execute(connection, VegaMigrations.ReadResource("Vega.Lite.Metadata.AtticSchema.postgres.sql"), transaction);
                Execute(connection, $"UPDATE seaql_migrations SET applied_at = {UnixNow}", transaction);
            }
            Execute(connection, "CREATE TABLE IF NOT EXISTS vega_migrations (name text PRIMARY KEY, applied_at bigint NOT NULL)", transaction);
            VegaMigrations.Apply(VegaMigrations.Postgres, connection, transaction, Inspect(connection, transaction), UnixNow);
            transaction.Commit();
        }
        finally
        {
            Execute(connection, $"SELECT pg_advisory_unlock({MigrationLock})", null);
        }
        return null;
    }

    public override async Task<DbTransaction> BeginRecordingAsync(DbConnection connection, CancellationToken ct) =>
        await BeginLockedAsync(connection, $"SELECT pg_advisory_xact_lock_shared({RecordingLock})", ct);

    public override async Task<DbTransaction> BeginCollectingAsync(DbConnection connection, CancellationToken ct) =>
        await BeginLockedAsync(connection, $"SELECT pg_advisory_xact_lock({RecordingLock})", ct);

    public override async Task SerializeNarAsync(DbConnection connection, DbTransaction transaction, string narHash, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({NarHashLockClass}, hashtext(@hash))";
        command.Bind("@hash", narHash);
        await command.ExecuteNonQueryAsync(ct);
    }

    protected override async Task SendAsync(DbConnection connection, DbTransaction transaction, CacheChange change, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_notify('{CacheChange.Channel}', @payload)";
        command.Bind("@payload", change.Payload);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// LISTENs on a connection of its own. Whatever was sent while it was not listening is lost, so each (re)connect
    /// reports <see cref="CacheChange.Everything"/>, and while it cannot connect it reports that each interval. A silent
    /// connection is checked every <see cref="ListenerCheckInterval"/>, so a dead one is found and replaced.
    /// </summary>
    public override async Task WatchChangesAsync(Action<CacheChange> changed, Action<string> trouble, CancellationToken ct)
    {
        var failing = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct);
                connection.Notification += (_, e) => changed(CacheChange.Parse(e.Payload));
                await using (var listen = new NpgsqlCommand($"LISTEN {CacheChange.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                changed(CacheChange.Everything);
                failing = false;
                while (true)
                {
                    if (!await connection.WaitAsync(ListenerCheckInterval, ct))
                    {
                        await using var check = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = (int)ListenerCheckInterval.TotalSeconds };
                        await check.ExecuteNonQueryAsync(ct);
                    }
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                if (!failing)
                {
                    trouble(e.Message);
                }
                failing = true;
                changed(CacheChange.Everything);
                await Task.Delay(ChangePollInterval, ct);
            }
        }
    }

    /// <summary>
    /// A session lock on a connection held for the turn: PostgreSQL ends it when that session ends, so a collector that
    /// dies mid-pass does not keep the turn.
    /// </summary>
    public override async Task<IAsyncDisposable?> TryTakeCollectorTurnAsync(CancellationToken ct)
    {
        var connection = await _dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({CollectorLock})", connection);
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
            {
                return new CollectorTurn(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    private sealed class CollectorTurn(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({CollectorLock})", connection);
                await command.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // a broken session: the lock ended with it
            }
            await connection.DisposeAsync();
        }
    }

    private static async Task<DbTransaction> BeginLockedAsync(DbConnection connection, string lockSql, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = lockSql;
        await command.ExecuteNonQueryAsync(ct);
        return transaction;
    }

    /// <summary>A connection for the start-up steps, whose failure is one line naming the database, not a stack trace.</summary>
    private DbConnection OpenForStart()
    {
        try
        {
            return Open();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new ConfigException($"database {Description} cannot be reached: {e.Message}");
        }
    }

    private DatabaseShape Inspect(DbConnection connection, DbTransaction? transaction) =>
        DatabaseInspection.Inspect(connection, Description, TablesQuery, transaction);

    private static void Execute(DbConnection connection, string sql, DbTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public override string JsonValues(string parameter) =>
        $"(SELECT value, ordinality - 1 AS key FROM json_array_elements_text(CAST({parameter} AS json)) WITH ORDINALITY) j";

    public override string JsonRows(string parameter) => $"json_array_elements(CAST({parameter} AS json)) AS j(value)";

    public override string UnixNow => "CAST(floor(EXTRACT(EPOCH FROM now())) AS BIGINT)";

    public override string TimeFromUnixSeconds(string unixSeconds) => $"to_timestamp({unixSeconds})";

    public override string UnixSecondsOf(string timeColumn) => $"CAST(floor(EXTRACT(EPOCH FROM {timeColumn})) AS BIGINT)";

    /// <summary>timestamptz takes a UTC <see cref="DateTime"/> (Npgsql refuses other kinds for it).</summary>
    public override object Time(DateTimeOffset time) => time.UtcDateTime;

    public override string OrderedJoin => "JOIN";

    public override string LockForUpdate => "FOR NO KEY UPDATE";

    /// <summary>40P01: PostgreSQL chose this transaction to end a deadlock (a hold against a garbage-collection statement).</summary>
    public override bool LostRace(DbException e) => e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected };

    public override string Ordinal(string column) => $"{column} COLLATE \"C\"";

    public override void Dispose() => _dataSource.Dispose();
}
