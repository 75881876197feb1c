using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Vega.Lite.Config;
using Vega.Lite.Metadata.Postgres;

namespace Vega.Lite.Metadata;

/// <summary>
/// <c>--mode check-config</c>'s line about the database: what is there, read without creating or changing anything,
/// so the check also runs where the database is not (a NixOS build). A database the server would refuse is a
/// <see cref="ConfigException"/>, as at start.
/// </summary>
internal static class DatabaseReport
{
    public static string Describe(string url)
    {
        if (PostgresUrl.IsPostgresUrl(url))
        {
            return DescribePostgres(url);
        }
        var path = SqliteDatabase.ParseSqliteUrl(url);
        if (path == ":memory:")
        {
            return "database: in memory, empty at every start";
        }
        if (!File.Exists(path))
        {
            return $"database: {path} does not exist yet; the first start creates it";
        }
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
        }
        catch (SqliteException e)
        {
            throw new ConfigException($"database {path} cannot be read: {e.Message}");
        }
        return Describe(connection, path, SqliteDatabase.TablesQuery);
    }

    /// <summary>A PostgreSQL database that cannot be reached now is said, not refused: the check also runs where it is not.</summary>
    private static string DescribePostgres(string url)
    {
        using var database = new PostgresDatabase(url);
        DbConnection connection;
        try
        {
            connection = database.Open();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return $"database: PostgreSQL at {database.Description} cannot be reached now ({e.Message}); the server does not start until it can";
        }
        using (connection)
        {
            return Describe(connection, $"PostgreSQL at {database.Description}", PostgresDatabase.TablesQuery);
        }
    }

    private static string Describe(DbConnection connection, string path, string tablesQuery)
    {
        var shape = DatabaseInspection.Inspect(connection, path, tablesQuery);
        switch (shape.Kind)
        {
            case DatabaseKind.Empty:
                return $"database: {path} is empty; the first start creates Attic's schema (level L2) and Vega.Lite's tables";
            case DatabaseKind.LegacyVega:
                return $"database: {path} was made by an earlier Vega.Lite; the next start in monolithic or db-migrations mode " +
                    "converts it to Attic's schema once, after a backup copy";
        }
        var applied = shape.Tables.Contains("vega_migrations")
            ? DatabaseInspection.ReadStrings(connection, "SELECT name FROM vega_migrations")
            : [];
        var all = VegaMigrations.Names;
        var pending = all.Where(m => !applied.Contains(m)).ToList();
        var schema = $"Attic's schema, level {shape.AtticLevel} ({shape.AtticMigrations} migrations); " + (pending.Count == 0
            ? $"Vega.Lite's tables, all {all.Count} migrations applied"
            : $"Vega.Lite's tables, {all.Count - pending.Count} of {all.Count} migrations applied (pending: {string.Join(", ", pending)}; " +
              "monolithic mode or --mode db-migrations applies them)");
        using var count = connection.CreateCommand();
        count.CommandText =
            """
            SELECT (SELECT COUNT(*) FROM cache WHERE deleted_at IS NULL), (SELECT COUNT(*) FROM object),
                   (SELECT COUNT(*) FROM nar), (SELECT COUNT(*) FROM chunk), (SELECT COUNT(*) FROM chunk WHERE state = 'D')
            """;
        using var reader = count.ExecuteReader();
        reader.Read();
        return $"database: {path}: {schema}; {reader.GetInt64(0)} caches, {reader.GetInt64(1)} store paths, " +
            $"{reader.GetInt64(2)} NARs, {reader.GetInt64(3)} chunks ({reader.GetInt64(4)} lost or awaiting deletion)";
    }
}
