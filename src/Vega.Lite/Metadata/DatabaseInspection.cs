using System.Data.Common;
using Vega.Lite.Config;

namespace Vega.Lite.Metadata;

/// <summary>What a metadata database holds, found before anything is written to it.</summary>
internal enum DatabaseKind
{
    /// <summary>No tables: a new database, created in Attic's schema.</summary>
    Empty,

    /// <summary>Attic's schema at a level this code knows (atticd's, or Vega.Lite's since it uses Attic's schema).</summary>
    Attic,

    /// <summary>Made by a Vega.Lite before it used Attic's schema: converted once (LegacyConversion).</summary>
    LegacyVega,
}

/// <summary>A database's kind, and for an Attic one its level and whether Vega.Lite's own tables are there yet.</summary>
internal sealed record DatabaseShape(DatabaseKind Kind, string? AtticLevel, int AtticMigrations, IReadOnlySet<string> Tables);

/// <summary>
/// Tells what a metadata database is before anything is written to it: nothing yet, Attic's schema (with its level,
/// <see cref="AtticSchemaLevel"/>), a database of an earlier Vega.Lite, or anything else, which stops the start with one
/// line saying what was found.
/// </summary>
internal static class DatabaseInspection
{
    /// <summary>The database's shape; a <see cref="ConfigException"/> when it is not one Vega.Lite can use.</summary>
    public static DatabaseShape Inspect(DbConnection connection, string description, string tablesQuery, DbTransaction? transaction = null)
    {
        var tables = ReadTables(connection, description, tablesQuery, transaction);
        if (tables.Contains("seaql_migrations"))
        {
            var versions = ReadStrings(connection, "SELECT version FROM seaql_migrations", transaction);
            var level = AtticSchemaLevel.Classify(versions, out var problem);
            return level is not null
                ? new DatabaseShape(DatabaseKind.Attic, level, versions.Count, tables)
                : throw new ConfigException($"database {description} is atticd's, at a level Vega.Lite does not know: {problem}");
        }
        if (tables.Contains("vega_migrations"))
        {
            return new DatabaseShape(DatabaseKind.LegacyVega, null, 0, tables);
        }
        if (tables.Count > 0)
        {
            var listed = string.Join(", ", tables.Order(StringComparer.Ordinal).Take(6)) + (tables.Count > 6 ? ", …" : "");
            throw new ConfigException(
                $"database {description} is neither atticd's nor Vega.Lite's: it has no seaql_migrations or vega_migrations table " +
                $"(tables: {listed}); point [database] url at a new file");
        }
        return new DatabaseShape(DatabaseKind.Empty, null, 0, tables);
    }

    /// <summary>The first column of every row <paramref name="sql"/> returns, as text.</summary>
    public static HashSet<string> ReadStrings(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        using var reader = command.ExecuteReader();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    /// <summary>The columns of a table (<paramref name="columnsQuery"/> with the table's name for <c>{0}</c>), to tell the optional ones of Attic's levels apart.</summary>
    public static HashSet<string> ReadColumns(DbConnection connection, string columnsQuery, string table, DbTransaction? transaction = null) =>
        ReadStrings(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, columnsQuery, table), transaction);

    private static HashSet<string> ReadTables(DbConnection connection, string description, string tablesQuery, DbTransaction? transaction)
    {
        try
        {
            return ReadStrings(connection, tablesQuery, transaction);
        }
        catch (DbException e)
        {
            throw new ConfigException($"database {description} cannot be read: {e.Message}");
        }
    }
}
