using Microsoft.Data.Sqlite;
using Vega.Lite.Config;

namespace Vega.Lite.Metadata;

/// <summary>
/// Converts a SQLite database of an earlier Vega.Lite (times in unix seconds, <c>remote_file</c> a bare key, unprefixed
/// extras) into Attic's schema: a <c>VACUUM INTO</c> copy first, then one transaction that renames the old tables,
/// creates Attic's and Vega.Lite's, copies the rows over converted (Metadata/LegacyConversion.sql) and checks every
/// foreign key. A crash before the commit leaves the old database as it was. (No earlier Vega.Lite ran on PostgreSQL.)
/// </summary>
internal static class LegacyConversion
{
    /// <summary>The tables an earlier Vega.Lite made that become Attic's (or Vega.Lite's prefixed ones).</summary>
    private static readonly string[] LegacyTables = ["cache", "nar", "chunk", "chunkref", "object", "nix_upload", "upload_lease"];

    /// <summary>Converts, and returns the line that tells the operator so; null when another process converted it meanwhile.</summary>
    public static string? Convert(SqliteDatabase database, SqliteConnection connection, RemoteFiles remoteFiles)
    {
        var path = database.Description;
        var backup = $"{path}.before-attic-schema-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}";
        using (var copy = connection.CreateCommand())
        {
            copy.CommandText = "VACUUM INTO @file";
            copy.Bind("@file", backup);
            copy.ExecuteNonQuery();
        }
        SqliteDatabase.Execute(connection, "PRAGMA foreign_keys = OFF;");
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var shape = database.Inspect(connection, transaction);
            if (shape.Kind != DatabaseKind.LegacyVega)
            {
                File.Delete(backup); // another process converted it meanwhile
                return null;
            }
            SqliteDatabase.Execute(connection, "CREATE TABLE IF NOT EXISTS upload_lease (id TEXT PRIMARY KEY, owner TEXT NOT NULL, created_at INTEGER NOT NULL);", transaction);
            if (!shape.Tables.Contains("cache"))
            {
                // A start that stopped between creating vega_migrations and its first migration: nothing to keep.
                foreach (var table in LegacyTables)
                {
                    SqliteDatabase.Execute(connection, $"DROP TABLE IF EXISTS \"{table}\";", transaction);
                }
            }
            else
            {
                foreach (var table in LegacyTables)
                {
                    SqliteDatabase.Execute(connection, $"ALTER TABLE \"{table}\" RENAME TO vega_legacy_{table};", transaction);
                }
            }
            SqliteDatabase.Execute(connection, "DROP TABLE IF EXISTS vega_invalidation; DROP TABLE IF EXISTS vega_instance; DROP TABLE vega_migrations;", transaction);
            SqliteDatabase.CreateAtticSchema(connection, transaction);
            database.ApplyVegaMigrations(connection, transaction);
            if (shape.Tables.Contains("cache"))
            {
                using var convert = connection.CreateCommand();
                convert.Transaction = transaction;
                convert.CommandText = VegaMigrations.ReadResource("Vega.Lite.Metadata.LegacyConversion.sql");
                convert.Bind("$s3", remoteFiles.IsS3);
                convert.Bind("$region", remoteFiles.Region);
                convert.Bind("$bucket", remoteFiles.Bucket);
                convert.ExecuteNonQuery();
            }
            var broken = DatabaseInspection.ReadStrings(connection, "SELECT \"table\" || ' row ' || rowid FROM pragma_foreign_key_check", transaction);
            if (broken.Count > 0)
            {
                throw new ConfigException($"database {path} could not be converted to Attic's schema: foreign keys broken " +
                    $"({string.Join(", ", broken.Take(3))}); it is unchanged, and a copy is at {backup}");
            }
            transaction.Commit();
        }
        finally
        {
            SqliteDatabase.Execute(connection, "PRAGMA foreign_keys = ON;");
        }
        return $"Converted database {path}, made by an earlier Vega.Lite, to Attic's schema (level L2); the copy from before is {backup}";
    }
}
