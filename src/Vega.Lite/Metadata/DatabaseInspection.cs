using Microsoft.Data.Sqlite;
using Vega.Lite.Config;

namespace Vega.Lite.Metadata;

/// <summary>
/// What a metadata database holds, found before anything is written to it: nothing yet, Vega.Lite's own schema, or
/// anything else, which stops the start with one line saying what was found. An Attic database is named with its
/// level (<see cref="AtticSchemaLevel"/>): serving one in place is not built yet, and it is left exactly as it was.
/// </summary>
internal static class DatabaseInspection
{
    /// <summary>The user tables of the database; a <see cref="ConfigException"/> when it is not one we can use.</summary>
    public static IReadOnlySet<string> CheckUsable(SqliteConnection connection, string description)
    {
        var tables = ReadTables(connection, description);
        if (tables.Contains("seaql_migrations"))
        {
            throw new ConfigException(DescribeAttic(connection, description));
        }
        if (tables.Count > 0 && !tables.Contains("vega_migrations"))
        {
            var listed = string.Join(", ", tables.Order(StringComparer.Ordinal).Take(6)) + (tables.Count > 6 ? ", …" : "");
            throw new ConfigException(
                $"database {description} is neither Vega.Lite's nor atticd's: it has no vega_migrations or seaql_migrations table " +
                $"(tables: {listed}); point [database] url at a new file");
        }
        return tables;
    }

    /// <summary>The first column of every row <paramref name="sql"/> returns, as text.</summary>
    public static HashSet<string> ReadStrings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static HashSet<string> ReadTables(SqliteConnection connection, string description)
    {
        try
        {
            return ReadStrings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
        }
        catch (SqliteException e)
        {
            throw new ConfigException($"database {description} cannot be read: {e.Message}");
        }
    }

    private static string DescribeAttic(SqliteConnection connection, string description)
    {
        var versions = ReadStrings(connection, "SELECT version FROM seaql_migrations");
        var level = AtticSchemaLevel.Classify(versions, out var problem);
        return level is null
            ? $"database {description} is atticd's, at a level Vega.Lite does not know: {problem}"
            : $"database {description} is atticd's (schema level {level}, {versions.Count} migrations); serving an Attic " +
              "database in place is not built yet, so it was left untouched: keep atticd on it, or give Vega.Lite a new " +
              "database (README, Migrating from Attic)";
    }
}
