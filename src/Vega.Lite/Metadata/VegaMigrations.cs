using System.Data.Common;

namespace Vega.Lite.Metadata;

/// <summary>
/// Vega.Lite's own migrations (its <c>vega_</c> tables beside Attic's), recorded in <c>vega_migrations</c> and never
/// in <c>seaql_migrations</c>. Each database has its own SQL under the same names (embedded from
/// <c>Metadata/Migrations/Sqlite/</c> and <c>Metadata/Migrations/Postgres/</c>), so a name means the same tables on both.
/// </summary>
internal static class VegaMigrations
{
    public const string Sqlite = "Vega.Lite.Metadata.Migrations.Sqlite.";
    public const string Postgres = "Vega.Lite.Metadata.Migrations.Postgres.";

    /// <summary>The names of Vega.Lite's own migrations, in the order they run.</summary>
    public static IReadOnlyList<string> Names { get; } = Load(Sqlite).Select(m => m.Name).ToList();

    /// <summary>Vega.Lite's migrations the database has not recorded, in the order they run.</summary>
    public static List<string> Pending(DbConnection connection, DbTransaction? transaction, DatabaseShape shape)
    {
        var applied = shape.Tables.Contains("vega_migrations")
            ? DatabaseInspection.ReadStrings(connection, "SELECT name FROM vega_migrations", transaction)
            : [];
        return Names.Where(m => !applied.Contains(m)).ToList();
    }

    /// <summary>Inside the caller's transaction (which keeps other processes out): each pending migration, recorded as it is applied.</summary>
    public static void Apply(string prefix, DbConnection connection, DbTransaction transaction, DatabaseShape shape, string unixNow)
    {
        var pending = Pending(connection, transaction, shape);
        foreach (var (name, sql) in Load(prefix).Where(m => pending.Contains(m.Name)))
        {
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = sql;
            migrate.ExecuteNonQuery();
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = $"INSERT INTO vega_migrations (name, applied_at) VALUES (@name, {unixNow})";
            record.Bind("@name", name);
            record.ExecuteNonQuery();
        }
    }

    private static IEnumerable<(string Name, string Sql)> Load(string prefix)
    {
        var assembly = typeof(VegaMigrations).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            yield return (resource[prefix.Length..], ReadResource(resource));
        }
    }

    public static string ReadResource(string name)
    {
        using var stream = typeof(VegaMigrations).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
