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
    private readonly Lazy<bool> _chunkRefCarriesChunk;

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
        _chunkRefCarriesChunk = new Lazy<bool>(() =>
        {
            using var connection = Open();
            return DatabaseInspection.ReadColumns(connection, "chunkref").Contains("chunk_hash");
        });
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
    /// For the modes that do not migrate (api-server, the garbage collector): stops with one line unless the database
    /// is in Attic's schema with Vega.Lite's own tables up to date, saying what to run; writes nothing.
    /// </summary>
    public void CheckSchema()
    {
        using var connection = Open();
        var shape = DatabaseInspection.Inspect(connection, _path);
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

    /// <summary>Whether <c>chunkref</c> still has Attic L1's <c>chunk_hash</c> and <c>compression</c> (NOT NULL, no default), which every insert must then fill.</summary>
    public bool ChunkRefCarriesChunk => _chunkRefCarriesChunk.Value;

    /// <summary>
    /// Brings the database to what this server runs on, after checking what it is (<see cref="DatabaseInspection"/>):
    /// <list type="bullet">
    /// <item>empty: Attic's L2 schema with its 15 <c>seaql_migrations</c> rows, so a current atticd opens it too;</item>
    /// <item>atticd's (L1, L2 or between): left as it is; <c>seaql_migrations</c> is never written;</item>
    /// <item>an earlier Vega.Lite's: converted to Attic's schema once, after a backup copy (<see cref="ConvertLegacy"/>);</item>
    /// </list>
    /// then applies Vega.Lite's own migrations not yet recorded in <c>vega_migrations</c> (its <c>vega_</c> tables).
    /// Safe when several processes start at once: each step's transaction takes the write lock first
    /// (<c>BEGIN IMMEDIATE</c>), then looks again whether another process did it meanwhile. Returns a line to tell the
    /// operator when it converted, else null.
    /// </summary>
    public string? Migrate(RemoteFiles remoteFiles)
    {
        using var connection = Open();
        var shape = DatabaseInspection.Inspect(connection, _path);
        Execute(connection, "PRAGMA journal_mode=WAL;");
        string? said = null;
        if (shape.Kind == DatabaseKind.LegacyVega)
        {
            said = ConvertLegacy(connection, remoteFiles);
        }
        else if (shape.Kind == DatabaseKind.Empty || PendingMigrations(connection, null, shape).Count > 0)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (DatabaseInspection.Inspect(connection, _path, transaction).Kind == DatabaseKind.Empty)
            {
                CreateAtticSchema(connection, transaction);
            }
            ApplyVegaMigrations(connection, transaction);
            transaction.Commit();
        }
        return said;
    }

    /// <summary>Vega.Lite's migrations not yet recorded, in the order they run.</summary>
    private static List<string> PendingMigrations(SqliteConnection connection, SqliteTransaction? transaction, DatabaseShape shape)
    {
        var applied = shape.Tables.Contains("vega_migrations")
            ? DatabaseInspection.ReadStrings(connection, "SELECT name FROM vega_migrations", transaction)
            : [];
        return MigrationNames.Where(m => !applied.Contains(m)).ToList();
    }

    /// <summary>Inside a write transaction: every Vega.Lite migration not yet recorded, each recorded as it is applied.</summary>
    private void ApplyVegaMigrations(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, "CREATE TABLE IF NOT EXISTS vega_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);", transaction);
        var pending = PendingMigrations(connection, transaction, DatabaseInspection.Inspect(connection, _path, transaction));
        foreach (var (name, sql) in LoadMigrations().Where(m => pending.Contains(m.Name)))
        {
            Execute(connection, sql, transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO vega_migrations (name, applied_at) VALUES ($name, unixepoch())";
            record.Parameters.AddWithValue("$name", name);
            record.ExecuteNonQuery();
        }
    }

    /// <summary>Attic's L2 tables and indexes, and the 15 rows that tell atticd they are there (docs/attic-schema-sqlite.sql).</summary>
    private static void CreateAtticSchema(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, ReadResource("Vega.Lite.Metadata.AtticSchema.sqlite.sql"), transaction);
        Execute(connection, "UPDATE seaql_migrations SET applied_at = unixepoch();", transaction);
    }

    /// <summary>The tables an earlier Vega.Lite made that become Attic's (or Vega.Lite's prefixed ones).</summary>
    private static readonly string[] LegacyTables = ["cache", "nar", "chunk", "chunkref", "object", "nix_upload", "upload_lease"];

    /// <summary>
    /// Converts a database of an earlier Vega.Lite (times in unix seconds, <c>remote_file</c> a bare key, unprefixed
    /// extras) into Attic's schema: a <c>VACUUM INTO</c> copy first, then one transaction that renames the old tables,
    /// creates Attic's and Vega.Lite's, copies the rows over converted (Metadata/LegacyConversion.sql) and checks every
    /// foreign key. A crash before the commit leaves the old database as it was.
    /// </summary>
    private string? ConvertLegacy(SqliteConnection connection, RemoteFiles remoteFiles)
    {
        var backup = $"{_path}.before-attic-schema-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}";
        using (var copy = connection.CreateCommand())
        {
            copy.CommandText = "VACUUM INTO $file";
            copy.Parameters.AddWithValue("$file", backup);
            copy.ExecuteNonQuery();
        }
        Execute(connection, "PRAGMA foreign_keys = OFF;");
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var shape = DatabaseInspection.Inspect(connection, _path, transaction);
            if (shape.Kind != DatabaseKind.LegacyVega)
            {
                File.Delete(backup); // another process converted it meanwhile
                return null;
            }
            Execute(connection, "CREATE TABLE IF NOT EXISTS upload_lease (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at INTEGER NOT NULL);", transaction);
            if (!shape.Tables.Contains("cache"))
            {
                // A start that stopped between creating vega_migrations and its first migration: nothing to keep.
                foreach (var table in LegacyTables)
                {
                    Execute(connection, $"DROP TABLE IF EXISTS \"{table}\";", transaction);
                }
            }
            else
            {
                foreach (var table in LegacyTables)
                {
                    Execute(connection, $"ALTER TABLE \"{table}\" RENAME TO vega_legacy_{table};", transaction);
                }
            }
            Execute(connection, "DROP TABLE IF EXISTS vega_invalidation; DROP TABLE IF EXISTS vega_instance; DROP TABLE vega_migrations;", transaction);
            CreateAtticSchema(connection, transaction);
            ApplyVegaMigrations(connection, transaction);
            if (shape.Tables.Contains("cache"))
            {
                using var convert = connection.CreateCommand();
                convert.Transaction = transaction;
                convert.CommandText = ReadResource("Vega.Lite.Metadata.LegacyConversion.sql");
                convert.Parameters.AddWithValue("$s3", remoteFiles.IsS3);
                convert.Parameters.AddWithValue("$region", (object?)remoteFiles.Region ?? DBNull.Value);
                convert.Parameters.AddWithValue("$bucket", (object?)remoteFiles.Bucket ?? DBNull.Value);
                convert.ExecuteNonQuery();
            }
            var broken = DatabaseInspection.ReadStrings(connection, "SELECT \"table\" || ' row ' || rowid FROM pragma_foreign_key_check", transaction);
            if (broken.Count > 0)
            {
                throw new ConfigException($"database {_path} could not be converted to Attic's schema: foreign keys broken " +
                    $"({string.Join(", ", broken.Take(3))}); it is unchanged, and a copy is at {backup}");
            }
            transaction.Commit();
        }
        finally
        {
            Execute(connection, "PRAGMA foreign_keys = ON;");
        }
        return $"Converted database {_path}, made by an earlier Vega.Lite, to Attic's schema (level L2); the copy from before is {backup}";
    }

    /// <summary>Configures a connection the way every request wants it (WAL is persistent; this is per connection).</summary>
    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The names of Vega.Lite's own migrations, in the order they run.</summary>
    public static IReadOnlyList<string> MigrationNames { get; } = LoadMigrations().Select(m => m.Name).ToList();

    private static IEnumerable<(string Name, string Sql)> LoadMigrations()
    {
        var assembly = typeof(SqliteDatabase).Assembly;
        const string prefix = "Vega.Lite.Metadata.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            yield return (resource[prefix.Length..], ReadResource(resource));
        }
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(SqliteDatabase).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
