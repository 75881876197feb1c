using Microsoft.Data.Sqlite;
using Vega.Lite.Config;

namespace Vega.Lite.Metadata;

/// <summary>
/// Opens connections to the SQLite metadata database and runs its migrations. WAL journal and
/// <c>synchronous=FULL</c>: a committed transaction survives a crash of the process or of the machine.
/// </summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _path;

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

    /// <summary>Accepts Attic's SQLite URLs: <c>sqlite:///abs/path.db?mode=rwc</c>, <c>sqlite://rel.db</c>, <c>sqlite://:memory:</c>.</summary>
    public static string ParseSqliteUrl(string url)
    {
        if (!url.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            throw new ConfigException(
                $"database URL \"{Redact(url)}\": only sqlite:// URLs are supported so far (PostgreSQL comes with multi-replica support)");
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

    private static string Redact(string url)
    {
        var at = url.IndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? url[..(scheme + 3)] + "…" + url[at..] : url;
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// Stops with one line when the database is not Vega.Lite's or empty (an Attic database, another program's, not
    /// SQLite at all), for the modes that do not migrate; writes nothing.
    /// </summary>
    public void CheckSchema()
    {
        using var connection = Open();
        DatabaseInspection.CheckUsable(connection, _path);
    }

    /// <summary>
    /// Applies every embedded migration not yet recorded, each in its own transaction, after checking that the
    /// database is empty or Vega.Lite's (<see cref="CheckSchema"/>): nothing is written to any other. Safe when several
    /// processes start at once: each migration's transaction takes the write lock first (<c>BEGIN IMMEDIATE</c>), then
    /// looks again whether another process applied it meanwhile.
    /// </summary>
    public void Migrate()
    {
        using var connection = Open();
        DatabaseInspection.CheckUsable(connection, _path);
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS vega_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);");
        foreach (var (name, sql) in LoadMigrations())
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT COUNT(*) FROM vega_migrations WHERE name = $name";
                check.Parameters.AddWithValue("$name", name);
                if ((long)check.ExecuteScalar()! > 0)
                {
                    continue;
                }
            }
            Execute(connection, sql, transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO vega_migrations (name, applied_at) VALUES ($name, unixepoch())";
            record.Parameters.AddWithValue("$name", name);
            record.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>Configures a connection the way every request wants it (WAL is persistent; this is per connection).</summary>
    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The names of the embedded migrations, in the order they run.</summary>
    public static IReadOnlyList<string> MigrationNames => LoadMigrations().Select(m => m.Name).ToList();

    private static IEnumerable<(string Name, string Sql)> LoadMigrations()
    {
        var assembly = typeof(SqliteDatabase).Assembly;
        const string prefix = "Vega.Lite.Metadata.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (resource[prefix.Length..], reader.ReadToEnd());
        }
    }
}
