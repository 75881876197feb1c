using System.Data.Common;
using Microsoft.Data.Sqlite;
using Vega.Lite.Config;

namespace Vega.Lite.Metadata;

/// <summary>
/// The SQLite metadata database: opens connections and runs its migrations. WAL journal and <c>synchronous=FULL</c>:
/// a committed transaction survives a crash of the process or of the machine. Writers take SQLite's one write lock, so
/// a recording transaction and a collecting one never overlap.
/// </summary>
internal sealed class SqliteDatabase : MetadataDatabase
{
    private readonly string _connectionString;
    private readonly string _path;

    /// <summary>Every table but SQLite's own, for <see cref="DatabaseInspection"/>.</summary>
    public const string TablesQuery = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

    /// <summary>A table's columns; <c>{0}</c> is the table's name.</summary>
    public const string Columns = "SELECT name FROM pragma_table_info('{0}')";

    public SqliteDatabase(string databaseUrl)
    {
        var path = ParseSqliteUrl(databaseUrl);
        _path = path;
        if (path != ":memory:")
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = path == ":memory:" ? SqliteOpenMode.Memory : SqliteOpenMode.ReadWriteCreate,
            Cache = path == ":memory:" ? SqliteCacheMode.Shared : SqliteCacheMode.Default,
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    public override string Description => _path;

    /// <summary>Accepts Attic's SQLite URLs: <c>sqlite:///abs/path.db?mode=rwc</c>, <c>sqlite://rel.db</c>, <c>sqlite://:memory:</c>.</summary>
    public static string ParseSqliteUrl(string url)
    {
        if (!url.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            throw new ConfigException($"database URL \"{Postgres.PostgresUrl.Redact(url)}\": only sqlite:// and postgres[ql]:// URLs are supported");
        }
        var rest = url["sqlite:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }
        var query = rest.IndexOf('?');
        if (query >= 0)
        {
            rest = rest[..query];
        }
        if (rest.Length == 0)
        {
            throw new ConfigException($"database URL \"{url}\" names no file");
        }
        return Uri.UnescapeDataString(rest);
    }

    public static bool IsSupportedUrl(string url) => url.StartsWith("sqlite:", StringComparison.Ordinal);

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public override void CheckSchema()
    {
        using var connection = (SqliteConnection)Open();
        var shape = Inspect(connection, null);
        var pending = shape.Kind == DatabaseKind.Attic ? PendingMigrations(connection, null, shape) : [];
        var problem = shape.Kind switch
        {
            DatabaseKind.Empty => "is empty",
            DatabaseKind.LegacyVega => "was made by an earlier Vega.Lite and is converted to Attic's schema once",
            _ when pending.Count > 0 => $"lacks Vega.Lite's own tables (pending: {string.Join(", ", pending)})",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ConfigException($"database {_path} {problem}: run `vega-lite --mode db-migrations` (or start in monolithic mode) first");
        }
    }

    protected override string ColumnsQuery => Columns;

    public override bool HoldsConnectionsFreely => true;

    /// <summary>
    /// After checking what the database is (<see cref="DatabaseInspection"/>):
    /// <list type="bullet">
    /// <item>empty: Attic's L2 schema with its 15 <c>seaql_migrations</c> rows, so a current atticd opens it too;</item>
    /// <item>atticd's (L1, L2 or between): left as it is; <c>seaql_migrations</c> is never written;</item>
    /// <item>an earlier Vega.Lite's: converted to Attic's schema once, after a backup copy (<see cref="LegacyConversion"/>);</item>
    /// </list>
    /// then applies Vega.Lite's own migrations not yet recorded in <c>vega_migrations</c> (its <c>vega_</c> tables).
    /// Safe when several processes start at once: each step's transaction takes the write lock first
    /// (<c>BEGIN IMMEDIATE</c>), then looks again whether another process did it meanwhile.
    /// </summary>
    public override string? Migrate(RemoteFiles remoteFiles)
    {
        using var connection = (SqliteConnection)Open();
        var shape = Inspect(connection, null);
        Execute(connection, "PRAGMA journal_mode=WAL;");
        if (shape.Kind == DatabaseKind.LegacyVega)
        {
            return LegacyConversion.Convert(this, connection, remoteFiles);
        }
        if (shape.Kind == DatabaseKind.Empty || PendingMigrations(connection, null, shape).Count > 0)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (Inspect(connection, transaction).Kind == DatabaseKind.Empty)
            {
                CreateAtticSchema(connection, transaction);
            }
            ApplyVegaMigrations(connection, transaction);
            transaction.Commit();
        }
        return null;
    }

    internal DatabaseShape Inspect(SqliteConnection connection, SqliteTransaction? transaction) =>
        DatabaseInspection.Inspect(connection, _path, TablesQuery, transaction);

    /// <summary>Vega.Lite's migrations not yet recorded, in the order they run.</summary>
    private static List<string> PendingMigrations(SqliteConnection connection, SqliteTransaction? transaction, DatabaseShape shape) =>
        VegaMigrations.Pending(connection, transaction, shape);

    /// <summary>Inside a write transaction: every Vega.Lite migration not yet recorded, each recorded as it is applied.</summary>
    internal void ApplyVegaMigrations(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS vega_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);", transaction);
        VegaMigrations.Apply(VegaMigrations.Sqlite, connection, transaction, Inspect(connection, transaction), UnixNow);
    }

    /// <summary>Attic's L2 tables and indexes, and the 15 rows that tell atticd they are there (docs/attic-schema-sqlite.sql).</summary>
    internal static void CreateAtticSchema(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, VegaMigrations.ReadResource("Vega.Lite.Metadata.AtticSchema.sqlite.sql"), transaction);
        Execute(connection, "UPDATE seaql_migrations SET applied_at = unixepoch();", transaction);
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Polls <c>vega_invalidation.generation</c>, which every change to served paths moves (one host: no channel).</summary>
    public override async Task WatchChangesAsync(Action<CacheChange> changed, Action<string> trouble, CancellationToken ct)
    {
        long? seen = null;
        var failing = false;
        using var timer = new PeriodicTimer(ChangePollInterval);
        do
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT generation FROM vega_invalidation WHERE id = 1";
                var generation = (long)(await command.ExecuteScalarAsync(ct))!;
                if (seen is not null && generation != seen)
                {
                    changed(CacheChange.Everything);
                }
                (seen, failing) = (generation, false);
            }
            catch (DbException e)
            {
                if (!failing)
                {
                    trouble(e.Message);
                }
                changed(CacheChange.Everything); // until it can be read again, what is held lives one interval
                (seen, failing) = (null, true);
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    /// <summary>
    /// A lock on <c>&lt;database&gt;.gc-lock</c> beside the database (.NET takes <c>flock</c> for an unshared file on
    /// Linux), so a <c>--mode garbage-collector</c> process and a server on one file take turns. An in-memory database
    /// has one process.
    /// </summary>
    public override Task<IAsyncDisposable?> TryTakeCollectorTurnAsync(CancellationToken ct)
    {
        if (_path == ":memory:")
        {
            return Task.FromResult<IAsyncDisposable?>(new MemoryStream());
        }
        try
        {
            return Task.FromResult<IAsyncDisposable?>(new FileStream(_path + ".gc-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return Task.FromResult<IAsyncDisposable?>(null); // another process holds it
        }
    }

    public override string JsonValues(string parameter) => $"json_each({parameter}) j";

    public override string JsonRows(string parameter) => $"json_each({parameter}) j";

    public override string UnixNow => "unixepoch()";

    /// <summary>Attic's text times (<see cref="AtticTime"/>) of whole seconds, which order as text with the ones atticd wrote.</summary>
    public override string TimeFromUnixSeconds(string unixSeconds) =>
        $"(strftime('%Y-%m-%dT%H:%M:%S', {unixSeconds}, 'unixepoch') || '+00:00')";

    /// <summary>SQLite's date functions read Attic's RFC 3339 text, its nine fraction digits and offset included.</summary>
    public override string UnixSecondsOf(string timeColumn) => $"CAST(strftime('%s', {timeColumn}) AS BIGINT)";

    public override object Time(DateTimeOffset time) => AtticTime.Format(time);

    public override string OrderedJoin => "CROSS JOIN";

    public override string LockForUpdate => "";

    /// <summary>SQLite's default collation is BINARY already.</summary>
    public override string Ordinal(string column) => column;
}
