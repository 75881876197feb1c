namespace Vega.Lite.Metadata;

/// <summary>
/// The level of an Attic database, told from the versions in its <c>seaql_migrations</c> table
/// (docs/attic-database.md §1). L1: migrations 1–12, any atticd built before mid-2026; L2: all 15, current atticd;
/// between them, L1 with one or both of the two 2026 index migrations.
/// </summary>
internal static class AtticSchemaLevel
{
    /// <summary>Attic's migrations in the order atticd runs them, as it records them (two 2022-12-27 names swapped).</summary>
    public static readonly IReadOnlyList<string> Migrations =
    [
        "m20221227_000001_create_cache_table",
        "m20221227_000003_create_nar_table",
        "m20221227_000002_create_object_table",
        "m20221227_000004_add_object_last_accessed",
        "m20221227_000005_add_cache_retention_period",
        "m20230103_000001_add_object_created_by",
        "m20230112_000001_add_chunk_table",
        "m20230112_000002_add_chunkref_table",
        "m20230112_000003_add_nar_num_chunks",
        "m20230112_000004_migrate_nar_remote_files_to_chunks",
        "m20230112_000005_drop_old_nar_columns",
        "m20230112_000006_add_nar_completeness_hint",
        "m20260508_000001_add_chunk_state_holders_index",
        "m20260611_000001_add_nar_state_holders_index",
        "m20260624_000001_remove_chunk_recovery",
    ];

    private const int L1Count = 12;

    /// <summary>
    /// "L1", "L2" or "L1 with …" for a level this code knows; null with <paramref name="problem"/> saying what is wrong
    /// otherwise (a version no atticd release knows, or a gap).
    /// </summary>
    public static string? Classify(IReadOnlyCollection<string> versions, out string? problem)
    {
        var unknown = versions.Where(v => !Migrations.Contains(v)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            problem = $"it holds migrations no released atticd has ({string.Join(", ", unknown.Take(3))}" +
                $"{(unknown.Count > 3 ? $" and {unknown.Count - 3} more" : "")}): a newer atticd or a fork migrated it";
            return null;
        }
        var missing = Migrations.Take(L1Count).Where(m => !versions.Contains(m)).ToList();
        if (missing.Count > 0)
        {
            problem = $"its migrations stop short of Attic's level L1 (missing {missing[0]}" +
                $"{(missing.Count > 1 ? $" and {missing.Count - 1} more" : "")}): run that atticd's --mode db-migrations first";
            return null;
        }
        problem = null;
        var later = Migrations.Skip(L1Count).Where(versions.Contains).ToList();
        if (later.Count == Migrations.Count - L1Count)
        {
            return "L2";
        }
        if (later.Contains(Migrations[^1]))
        {
            problem = $"it has {Migrations[^1]} without the index migrations before it, which no atticd does";
            return null;
        }
        return later.Count == 0 ? "L1" : $"L1 with {string.Join(" and ", later)}";
    }
}
