using Microsoft.Data.Sqlite;

namespace Vega.Lite.E2E.Support;

/// <summary>
/// How far atticd's migrations went (docs/attic-database.md §1.1): <see cref="L1"/> is rows 1–12 (any atticd built
/// before mid-2026: chunkref still has chunk_hash and compression, nar has completeness_hint), <see cref="L2"/> rows
/// 1–15 (current main: those three columns dropped, two (state, holders_count) indexes added).
/// </summary>
public enum AtticLevel
{
    L1,
    L2,
}

/// <summary>
/// The sea-query release of the atticd that created the database, which fixed the declared type names SQLite keeps
/// (§1.2). Affinities are the same in every era.
/// </summary>
public enum AtticEra
{
    /// <summary>sea-query 0.27/0.28 (2022-12 to 2024-05): text, text(50), text(1), integer for big_integer too.</summary>
    SeaQuery027,

    /// <summary>sea-query 0.30 (2024-05 to 2026-06): text, text(50), text(1), bigint, boolean, timestamps text.</summary>
    SeaQuery030,

    /// <summary>sea-query 0.32 (from 2026-06-24): varchar, varchar(50), char(1), bigint, timestamp_with_timezone_text.</summary>
    SeaQuery032,
}

/// <summary>
/// atticd's SQLite migrations replayed statement by statement as sea-query renders them, in the order of the
/// <c>vec!</c> in server/src/database/migration/mod.rs, so SQLite's own ALTER TABLE / rename rewrites leave the same
/// sqlite_master text atticd's would. Written from the migration sources, not from Vega.Lite.
/// </summary>
public static class AtticSchema
{
    /// <summary>The 15 seaql_migrations versions in the order atticd applies them (the two 2022-12-27 create names are swapped relative to their files).</summary>
    public static readonly IReadOnlyList<string> Versions =
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

    public static int MigrationCount(AtticLevel level) => level == AtticLevel.L1 ? 12 : 15;

    /// <summary>The versions a database at <paramref name="level"/> records.</summary>
    public static IReadOnlyList<string> VersionsAt(AtticLevel level) => Versions.Take(MigrationCount(level)).ToArray();

    /// <summary>
    /// Creates seaql_migrations, runs the level's migrations on the open (empty) database, and records each version
    /// with <paramref name="appliedAt"/>(index) unix seconds. No transaction, as sea-orm-migration on SQLite.
    /// </summary>
    public static void Migrate(SqliteConnection connection, AtticLevel level, AtticEra era, Func<int, long> appliedAt)
    {
        var t = new Vocabulary(era);
        Execute(connection, $"""CREATE TABLE IF NOT EXISTS "seaql_migrations" ( "version" {t.String} NOT NULL PRIMARY KEY, "applied_at" {t.BigInteger} NOT NULL )""");
        var migrations = Statements(t);
        for (var i = 0; i < MigrationCount(level); i++)
        {
            foreach (var statement in migrations[i])
            {
                Execute(connection, statement);
            }
            using var record = connection.CreateCommand();
            record.CommandText = """INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ($version, $at)""";
            record.Parameters.AddWithValue("$version", Versions[i]);
            record.Parameters.AddWithValue("$at", appliedAt(i));
            record.ExecuteNonQuery();
        }
    }

    /// <summary>The columns (name, declared type, NOT NULL) each table has at a level and era, as PRAGMA table_info reports them.</summary>
    public static IReadOnlyDictionary<string, (string Name, string Type, bool NotNull)[]> Columns(AtticLevel level, AtticEra era)
    {
        var t = new Vocabulary(era);
        var nar = new List<(string, string, bool)>
        {
            ("id", "integer", true), ("state", t.Char1, true), ("nar_hash", t.String, true), ("nar_size", t.BigInteger, true),
            ("compression", t.String, true), ("num_chunks", "integer", true), ("holders_count", "integer", true),
            ("created_at", t.Timestamp, true),
        };
        var chunkref = new List<(string, string, bool)>
        {
            ("id", "integer", true), ("nar_id", t.BigInteger, true), ("seq", "integer", true), ("chunk_id", t.BigInteger, false),
        };
        if (level == AtticLevel.L1)
        {
            nar.Add(("completeness_hint", "boolean", true));
            chunkref.Add(("chunk_hash", t.String, true));
            chunkref.Add(("compression", t.String, true));
        }
        return new Dictionary<string, (string, string, bool)[]>
        {
            ["seaql_migrations"] = [("version", t.String, true), ("applied_at", t.BigInteger, true)],
            ["cache"] =
            [
                ("id", "integer", true), ("name", t.StringLen(50), true), ("keypair", t.String, true), ("is_public", "boolean", true),
                ("store_dir", t.String, true), ("priority", "integer", true), ("upstream_cache_key_names", t.String, true),
                ("created_at", t.Timestamp, true), ("deleted_at", t.Timestamp, false), ("retention_period", "integer", false),
            ],
            ["nar"] = [.. nar],
            ["object"] =
            [
                ("id", "integer", true), ("cache_id", t.BigInteger, true), ("nar_id", t.BigInteger, true),
                ("store_path_hash", t.StringLen(32), true), ("store_path", t.String, true), ("references", t.String, true),
                ("system", t.String, false), ("deriver", t.String, false), ("sigs", t.String, true), ("ca", t.String, false),
                ("created_at", t.Timestamp, true), ("last_accessed_at", t.Timestamp, false), ("created_by", t.String, false),
            ],
            ["chunk"] =
            [
                ("id", "integer", true), ("state", t.Char1, true), ("chunk_hash", t.String, true), ("chunk_size", t.BigInteger, true),
                ("file_hash", t.String, false), ("file_size", t.BigInteger, false), ("compression", t.String, true),
                ("remote_file", t.String, true), ("remote_file_id", t.String, true), ("holders_count", "integer", true),
                ("created_at", t.Timestamp, true),
            ],
            ["chunkref"] = [.. chunkref],
        };
    }

    /// <summary>The index names (besides SQLite's autoindexes) a database at the level has: no idx-nar-nar-hash on SQLite at either level.</summary>
    public static IReadOnlyList<string> Indexes(AtticLevel level) =>
        level == AtticLevel.L1
            ? ["idx-cache-name", "idx-object-cache-hash", "idx-chunk-chunk-hash", "idx-chunk-nar-id", "idx-chunk-chunk-id"]
            : ["idx-cache-name", "idx-object-cache-hash", "idx-chunk-chunk-hash", "idx-chunk-nar-id", "idx-chunk-chunk-id",
               "idx-chunk-state-holders", "idx-nar-state-holders"];

    /// <summary>The SQL of each migration, in mod.rs order, for one era's type names.</summary>
    private static string[][] Statements(Vocabulary t) =>
    [
        // 1 m20221227_000001_create_cache_table
        [
            $"""CREATE TABLE IF NOT EXISTS "cache" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" {t.StringLen(50)} NOT NULL UNIQUE, "keypair" {t.String} NOT NULL, "is_public" boolean NOT NULL, "store_dir" {t.String} NOT NULL, "priority" integer NOT NULL, "upstream_cache_key_names" {t.String} NOT NULL, "created_at" {t.Timestamp} NOT NULL, "deleted_at" {t.Timestamp} NULL )""",
            """CREATE INDEX "idx-cache-name" ON "cache" ("name")""",
        ],
        // 2 m20221227_000002_create_nar_table.rs, recorded as m20221227_000003_create_nar_table: the single-file NAR
        [
            $"""CREATE TABLE IF NOT EXISTS "nar" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "state" {t.Char1} NOT NULL, "nar_hash" {t.String} NOT NULL, "nar_size" {t.BigInteger} NOT NULL, "file_hash" {t.String} NULL, "file_size" {t.BigInteger} NULL, "compression" {t.String} NOT NULL, "remote_file" {t.String} NOT NULL, "remote_file_id" {t.String} NOT NULL UNIQUE, "holders_count" integer NOT NULL DEFAULT 0, "created_at" {t.Timestamp} NOT NULL )""",
            """CREATE INDEX "idx-nar-nar-hash" ON "nar" ("nar_hash")""",
        ],
        // 3 m20221227_000003_create_object_table.rs, recorded as m20221227_000002_create_object_table
        [
            $"""CREATE TABLE IF NOT EXISTS "object" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "cache_id" {t.BigInteger} NOT NULL, "nar_id" {t.BigInteger} NOT NULL, "store_path_hash" {t.StringLen(32)} NOT NULL, "store_path" {t.String} NOT NULL, "references" {t.String} NOT NULL, "system" {t.String}, "deriver" {t.String}, "sigs" {t.String} NOT NULL, "ca" {t.String}, "created_at" {t.Timestamp} NOT NULL, FOREIGN KEY ("cache_id") REFERENCES "cache" ("id") ON DELETE CASCADE, FOREIGN KEY ("nar_id") REFERENCES "nar" ("id") ON DELETE CASCADE )""",
            """CREATE UNIQUE INDEX "idx-object-cache-hash" ON "object" ("cache_id", "store_path_hash")""",
        ],
        // 4
        [$"""ALTER TABLE "object" ADD COLUMN "last_accessed_at" {t.Timestamp} NULL"""],
        // 5
        ["""ALTER TABLE "cache" ADD COLUMN "retention_period" integer NULL"""],
        // 6
        [$"""ALTER TABLE "object" ADD COLUMN "created_by" {t.String} NULL"""],
        // 7 m20230112_000001_add_chunk_table
        [
            $"""CREATE TABLE "chunk" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "state" {t.Char1} NOT NULL, "chunk_hash" {t.String} NOT NULL, "chunk_size" {t.BigInteger} NOT NULL, "file_hash" {t.String} NULL, "file_size" {t.BigInteger} NULL, "compression" {t.String} NOT NULL, "remote_file" {t.String} NOT NULL, "remote_file_id" {t.String} NOT NULL UNIQUE, "holders_count" integer NOT NULL DEFAULT 0, "created_at" {t.Timestamp} NOT NULL )""",
            """CREATE INDEX "idx-chunk-chunk-hash" ON "chunk" ("chunk_hash")""",
        ],
        // 8 m20230112_000002_add_chunkref_table: with the chunk_hash and compression that migration 15 drops
        [
            $"""CREATE TABLE "chunkref" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "nar_id" {t.BigInteger} NOT NULL, "seq" integer NOT NULL, "chunk_id" {t.BigInteger} NULL, "chunk_hash" {t.String} NOT NULL, "compression" {t.String} NOT NULL, FOREIGN KEY ("chunk_id") REFERENCES "chunk" ("id") ON DELETE SET NULL, FOREIGN KEY ("nar_id") REFERENCES "nar" ("id") ON DELETE CASCADE )""",
            """CREATE INDEX "idx-chunk-nar-id" ON "chunkref" ("nar_id")""",
            """CREATE INDEX "idx-chunk-chunk-id" ON "chunkref" ("chunk_id")""",
        ],
        // 9
        ["""ALTER TABLE "nar" ADD COLUMN "num_chunks" integer NOT NULL DEFAULT 1"""],
        // 10 m20230112_000004_migrate_nar_remote_files_to_chunks: each old NAR's file becomes one chunk (state V)
        [
            """ALTER TABLE "chunk" ADD COLUMN "temp_nar_id" integer NOT NULL""",
            """INSERT INTO "chunk" ("temp_nar_id", "remote_file", "remote_file_id", "chunk_hash", "chunk_size", "file_hash", "file_size", "compression", "created_at", "state") SELECT "id", "remote_file", "remote_file_id", "nar_hash", "nar_size", "file_hash", "file_size", "compression", "created_at", 'V' AS "state" FROM "nar" """,
            """INSERT INTO "chunkref" ("chunk_id", "nar_id", "chunk_hash", "compression", "seq") SELECT "id", "temp_nar_id", "chunk_hash", "compression", 0 AS "seq" FROM "chunk" """,
            """ALTER TABLE "chunk" DROP COLUMN "temp_nar_id" """,
        ],
        // 11 m20230112_000005_drop_old_nar_columns, the SQLite branch: a new table, which loses idx-nar-nar-hash
        [
            "PRAGMA foreign_keys = OFF",
            $"""CREATE TABLE IF NOT EXISTS "nar_new" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "state" {t.Char1} NOT NULL, "nar_hash" {t.String} NOT NULL, "nar_size" {t.BigInteger} NOT NULL, "compression" {t.String} NOT NULL, "num_chunks" integer NOT NULL DEFAULT 1, "holders_count" integer NOT NULL DEFAULT 0, "created_at" {t.Timestamp} NOT NULL )""",
            """INSERT INTO "nar_new" ("id", "state", "nar_hash", "nar_size", "compression", "num_chunks", "holders_count", "created_at") SELECT "id", "state", "nar_hash", "nar_size", "compression", "num_chunks", "holders_count", "created_at" FROM "nar" """,
            """DROP TABLE "nar" """,
            """ALTER TABLE "nar_new" RENAME TO "nar" """,
            "PRAGMA foreign_keys = ON",
        ],
        // 12
        ["""ALTER TABLE "nar" ADD COLUMN "completeness_hint" boolean NOT NULL DEFAULT TRUE"""],
        // 13
        ["""CREATE INDEX "idx-chunk-state-holders" ON "chunk" ("state", "holders_count")"""],
        // 14
        ["""CREATE INDEX "idx-nar-state-holders" ON "nar" ("state", "holders_count")"""],
        // 15 m20260624_000001_remove_chunk_recovery
        [
            """ALTER TABLE "chunkref" DROP COLUMN "chunk_hash" """,
            """ALTER TABLE "chunkref" DROP COLUMN "compression" """,
            """ALTER TABLE "nar" DROP COLUMN "completeness_hint" """,
        ],
    ];

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>sea-query's SQLite type names for one era (docs/attic-database.md §1.2).</summary>
    private sealed class Vocabulary(AtticEra era)
    {
        public string BigInteger => era == AtticEra.SeaQuery027 ? "integer" : "bigint";
        public string String => era == AtticEra.SeaQuery032 ? "varchar" : "text";
        public string StringLen(int length) => $"{String}({length})";
        public string Char1 => era == AtticEra.SeaQuery032 ? "char(1)" : "text(1)";
        public string Timestamp => era == AtticEra.SeaQuery032 ? "timestamp_with_timezone_text" : "text";
    }
}
