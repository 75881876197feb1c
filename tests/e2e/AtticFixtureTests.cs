using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// The Attic fixture itself, checked without starting vega-lite: its database has atticd's migrations, columns and
/// value encodings, and its storage gives back every NAR. The checks read the files with SQL and the xz/zstd tools,
/// not through the fixture's return values.
/// </summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed partial class AtticFixtureTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-e2e-attic-fixture-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly NixEnvironment _nix = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _nix.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}\+00:00$")]
    private static partial Regex SqlxTimestamp();

    public static TheoryData<AtticLevel, AtticEra> LevelsAndEras() => new()
    {
        { AtticLevel.L1, AtticEra.SeaQuery027 },
        { AtticLevel.L1, AtticEra.SeaQuery030 },
        { AtticLevel.L1, AtticEra.SeaQuery032 },
        { AtticLevel.L2, AtticEra.SeaQuery027 },
        { AtticLevel.L2, AtticEra.SeaQuery030 },
        { AtticLevel.L2, AtticEra.SeaQuery032 },
    };

    [Theory]
    [MemberData(nameof(LevelsAndEras))]
    public void The_database_records_the_levels_migrations_and_has_its_columns(AtticLevel level, AtticEra era)
    {
        var fixture = AtticFixture.Create(_directory, level, era);
        using var db = Open(fixture.DatabasePath);

        var versions = Strings(db, """SELECT "version" FROM "seaql_migrations" ORDER BY rowid""");
        Assert.Equal(level == AtticLevel.L1 ? 12 : 15, versions.Length);
        Assert.Equal(
            [
                "m20221227_000001_create_cache_table", "m20221227_000003_create_nar_table", "m20221227_000002_create_object_table",
                "m20221227_000004_add_object_last_accessed", "m20221227_000005_add_cache_retention_period",
                "m20230103_000001_add_object_created_by", "m20230112_000001_add_chunk_table", "m20230112_000002_add_chunkref_table",
                "m20230112_000003_add_nar_num_chunks", "m20230112_000004_migrate_nar_remote_files_to_chunks",
                "m20230112_000005_drop_old_nar_columns", "m20230112_000006_add_nar_completeness_hint",
                .. level == AtticLevel.L2
                    ? new[] { "m20260508_000001_add_chunk_state_holders_index", "m20260611_000001_add_nar_state_holders_index", "m20260624_000001_remove_chunk_recovery" }
                    : [],
            ],
            versions);
        var appliedAt = Strings(db, """SELECT "applied_at" || ':' || typeof("applied_at") FROM "seaql_migrations" """);
        Assert.All(appliedAt, a => Assert.Matches(@"^1\d{9}:integer$", a));

        foreach (var (table, columns) in AtticSchema.Columns(level, era))
        {
            // PRAGMA table_info spells the names SQLite knows (TEXT, INTEGER) in capitals, whatever the DDL says.
            Assert.Equal(columns.Select(c => $"{c.Name} {c.Type} {c.NotNull}"),
                Strings(db, $"""SELECT name || ' ' || lower(type) || ' ' || CASE "notnull" WHEN 1 THEN 'True' ELSE 'False' END FROM pragma_table_info('{table}')"""));
        }
        var chunkrefColumns = Strings(db, "SELECT name FROM pragma_table_info('chunkref')");
        var narColumns = Strings(db, "SELECT name FROM pragma_table_info('nar')");
        if (level == AtticLevel.L1)
        {
            Assert.Equal(["id", "nar_id", "seq", "chunk_id", "chunk_hash", "compression"], chunkrefColumns);
            Assert.Equal(["TRUE"], Strings(db, "SELECT dflt_value FROM pragma_table_info('nar') WHERE name = 'completeness_hint' AND \"notnull\" = 1 AND type = 'boolean'"));
        }
        else
        {
            Assert.Equal(["id", "nar_id", "seq", "chunk_id"], chunkrefColumns);
            Assert.DoesNotContain("completeness_hint", narColumns);
        }
        Assert.DoesNotContain("file_hash", narColumns);
        Assert.DoesNotContain("remote_file", narColumns);
        // The declared type names as the creating atticd wrote them, in sqlite_master's own text.
        var objectSql = Strings(db, "SELECT sql FROM sqlite_master WHERE name = 'object'").Single();
        var narSql = Strings(db, "SELECT sql FROM sqlite_master WHERE name = 'nar'").Single();
        var cacheSql = Strings(db, "SELECT sql FROM sqlite_master WHERE name = 'cache'").Single();
        Assert.Contains(era == AtticEra.SeaQuery032 ? "\"created_at\" timestamp_with_timezone_text NOT NULL" : "\"created_at\" text NOT NULL", objectSql);
        Assert.Contains(era == AtticEra.SeaQuery032 ? "\"state\" char(1) NOT NULL" : "\"state\" text(1) NOT NULL", narSql);
        Assert.Contains(era == AtticEra.SeaQuery032 ? "\"name\" varchar(50) NOT NULL UNIQUE" : "\"name\" text(50) NOT NULL UNIQUE", cacheSql);
        Assert.Contains(era == AtticEra.SeaQuery027 ? "\"nar_size\" integer NOT NULL" : "\"nar_size\" bigint NOT NULL", narSql);
        Assert.Contains("\"is_public\" boolean NOT NULL", cacheSql);
        Assert.StartsWith("CREATE TABLE \"nar\" ( \"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT,", narSql);

        var indexes = Strings(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY name");
        Assert.Equal(AtticSchema.Indexes(level).Order(StringComparer.Ordinal), indexes.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("idx-nar-nar-hash", indexes);
        const string ForeignKeys = "SELECT \"from\" || ' ' || \"table\" || '.' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list($t) ORDER BY \"from\"";
        Assert.Equal(["cache_id cache.id CASCADE", "nar_id nar.id CASCADE"], Strings(db, ForeignKeys, "object"));
        Assert.Equal(["chunk_id chunk.id SET NULL", "nar_id nar.id CASCADE"], Strings(db, ForeignKeys, "chunkref"));
        Assert.Equal("wal", Strings(db, "PRAGMA journal_mode").Single());
        Assert.Equal("1", File.ReadAllText(Path.Combine(fixture.StoragePath, "VERSION")));
    }

    [Fact]
    public void At_L2_in_sea_query_032_the_schema_is_the_one_in_docs_attic_schema_sqlite_sql()
    {
        var fixture = AtticFixture.Create(_directory, AtticLevel.L2, AtticEra.SeaQuery032);
        var reference = Path.Combine(_directory, "reference.db");
        using (var db = Open(reference))
        {
            using var command = db.CreateCommand();
            command.CommandText = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "attic-schema-sqlite.sql"));
            command.ExecuteNonQuery();
        }
        using var ours = Open(fixture.DatabasePath);
        using var theirs = Open(reference);
        const string Master = "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || coalesce(sql, '') FROM sqlite_master WHERE name <> 'sqlite_sequence' ORDER BY type, name";
        static string Collapse(string sql) => Regex.Replace(sql, @"\s+", " ").Replace("( ", "(").Replace(" )", ")").Replace(" ,", ",");
        Assert.Equal(Strings(theirs, Master).Select(Collapse), Strings(ours, Master).Select(Collapse));
        foreach (var table in new[] { "seaql_migrations", "cache", "nar", "object", "chunk", "chunkref" })
        {
            const string Columns = "SELECT cid || ' ' || name || ' ' || type || ' ' || \"notnull\" || ' ' || coalesce(dflt_value, '-') || ' ' || pk FROM pragma_table_info($t)";
            Assert.Equal(Strings(theirs, Columns, table), Strings(ours, Columns, table));
        }
        Assert.Equal(Strings(theirs, """SELECT "version" FROM "seaql_migrations" ORDER BY rowid"""),
            Strings(ours, """SELECT "version" FROM "seaql_migrations" ORDER BY rowid"""));
    }

    [Fact]
    public void On_L1_a_chunkref_without_chunk_hash_and_compression_is_refused()
    {
        var fixture = AtticFixture.Create(_directory, AtticLevel.L1, AtticEra.SeaQuery030);
        using var db = Open(fixture.DatabasePath);
        using var command = db.CreateCommand();
        command.CommandText = """
            INSERT INTO nar (state, nar_hash, nar_size, compression, created_at) VALUES ('V', 'sha256:00', 1, 'zstd', '2026-06-26T14:16:13.123456789+00:00');
            INSERT INTO chunkref (nar_id, seq, chunk_id) VALUES (last_insert_rowid(), 0, NULL);
            """;
        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
        Assert.Contains("NOT NULL constraint failed: chunkref.chunk_hash", error.Message);
    }

    [Theory]
    [InlineData(AtticLevel.L1)]
    [InlineData(AtticLevel.L2)]
    public void Every_layout_gives_back_its_NAR_from_storage_and_the_rows_are_encoded_as_atticd_writes_them(AtticLevel level)
    {
        var fixture = AtticFixture.Create(_directory, level, AtticEra.SeaQuery030);
        var keypair = "old-1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var cache = fixture.AddCache("old", isPublic: true, keypair, priority: 41, upstreamCacheKeyNames: ["cache.nixos.org-1", "old-1"], retentionPeriod: 0);
        Assert.Equal("old-1:" + Convert.ToBase64String(Convert.FromBase64String(keypair[6..])[32..]), cache.PublicKey);

        var shared = RandomNumberGenerator.GetBytes(50_000);
        byte[] Nar(int before, int after) => [.. RandomNumberGenerator.GetBytes(before), .. shared, .. RandomNumberGenerator.GetBytes(after)];
        var nars = new (string Path, byte[] Nar, AtticLayout Layout)[]
        {
            ("/nix/store/" + new string('a', 32) + "-old", RandomNumberGenerator.GetBytes(70_000), AtticLayout.SingleFileXz),
            ("/nix/store/" + new string('b', 32) + "-small", RandomNumberGenerator.GetBytes(3_000), AtticLayout.SingleChunkZstd),
            ("/nix/store/" + new string('c', 32) + "-big", RandomNumberGenerator.GetBytes(200_000), AtticLayout.ChunkedZstd(5)),
            ("/nix/store/" + new string('d', 32) + "-one", Nar(10_000, 20_000), AtticLayout.ChunkedZstdAt(10_000, 60_000)),
            ("/nix/store/" + new string('e', 32) + "-two", Nar(30_000, 5_000), AtticLayout.ChunkedZstdAt(30_000, 80_000)),
        };
        var added = nars.Select((n, i) => fixture.AddPath(cache, n.Path, n.Nar, i == 0 ? [] : [Path.GetFileName(nars[i - 1].Path)], n.Layout,
            ca: i == 1 ? "fixed:r:sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s" : null,
            sigs: ["builder-1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))], accessed: i % 2 == 0)).ToArray();
        // The same NAR in a second object (another cache) reuses its nar row, as atticd's deduplicating upload does.
        var other = fixture.AddCache("other", isPublic: false, "other-1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
        var again = fixture.AddPath(other, nars[2].Path, nars[2].Nar, [], AtticLayout.SingleChunkZstd);
        Assert.Equal(added[2].NarId, again.NarId);

        using var db = Open(fixture.DatabasePath);
        foreach (var (path, nar, layout) in nars)
        {
            Assert.Equal(nar, Reassemble(db, fixture.StoragePath, path));
        }
        Assert.Equal(nars[3].Nar.AsSpan(10_000, 50_000).ToArray(), shared);
        Assert.Equal(
            ["1 1 xz", "1 1 zstd", "5 5 zstd", "3 3 zstd", "3 3 zstd"],
            Strings(db, """SELECT n.num_chunks || ' ' || (SELECT count(*) FROM chunkref r WHERE r.nar_id = n.id) || ' ' || n.compression FROM nar n ORDER BY n.id"""));
        Assert.Equal(5, Strings(db, "SELECT id FROM nar").Length);

        // The two NARs refer to one chunk for the shared bytes: one row, one file.
        var sharedHash = AtticFixture.TypedHash(shared);
        Assert.Equal(["2"], Strings(db, "SELECT count(DISTINCT r.nar_id) FROM chunkref r JOIN chunk c ON c.id = r.chunk_id WHERE c.chunk_hash = $t", sharedHash));
        Assert.Equal(["1"], Strings(db, "SELECT count(*) FROM chunk WHERE chunk_hash = $t", sharedHash));
        Assert.Equal(1 + 1 + 5 + 3 + 2, Strings(db, "SELECT id FROM chunk").Length);
        Assert.Equal(Strings(db, "SELECT id FROM chunk").Length, Directory.GetFiles(fixture.StoragePath, "*.*", SearchOption.AllDirectories).Length - 1);

        // Every chunk: its file where local storage puts it, hashed and sized as recorded, encoded as atticd encodes it.
        using (var chunks = db.CreateCommand())
        {
            chunks.CommandText = """SELECT state, chunk_hash, chunk_size, file_hash, file_size, compression, remote_file, remote_file_id, holders_count FROM chunk""";
            using var reader = chunks.ExecuteReader();
            var seen = 0;
            while (reader.Read())
            {
                seen++;
                Assert.Equal("V", reader.GetString(0));
                var name = FileName(reader.GetString(6));
                Assert.Matches(@"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.(nar|chunk)$", name);
                Assert.Equal("{\"Local\":{\"name\":\"" + name + "\"}}", reader.GetString(6));
                Assert.Equal("local:" + name, reader.GetString(7));
                Assert.Equal(name.EndsWith(".nar") ? "xz" : "zstd", reader.GetString(5));
                var file = File.ReadAllBytes(Path.Combine(fixture.StoragePath, name[..1], name[..2], name));
                Assert.Equal(reader.GetString(3), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(file)));
                Assert.Equal(reader.GetInt64(4), file.LongLength);
                var piece = AtticFixture.Decompress(reader.GetString(5), file);
                Assert.Equal(reader.GetString(1), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(piece)));
                Assert.Equal(reader.GetInt64(2), piece.LongLength);
                Assert.Equal(0, reader.GetInt64(8));
            }
            Assert.Equal(12, seen);
        }
        // Migration 10's chunk for a pre-chunking NAR: chunk_hash and size are the NAR's, created_at too.
        Assert.Equal(["1"], Strings(db, """
            SELECT count(*) FROM chunk c JOIN chunkref r ON r.chunk_id = c.id JOIN nar n ON n.id = r.nar_id
            WHERE c.remote_file_id LIKE 'local:%.nar' AND c.chunk_hash = n.nar_hash AND c.chunk_size = n.nar_size AND c.created_at = n.created_at
            AND c.compression = 'xz' AND n.compression = 'xz' AND n.num_chunks = 1
            """));
        if (level == AtticLevel.L1)
        {
            Assert.Equal(["0"], Strings(db, """
                SELECT count(*) FROM chunkref r JOIN chunk c ON c.id = r.chunk_id WHERE r.chunk_hash <> c.chunk_hash OR r.compression <> c.compression
                """));
            Assert.Equal(["1"], Strings(db, "SELECT DISTINCT completeness_hint FROM nar"));
        }
        Assert.Equal(["0 1 2 3 4"], Strings(db, "SELECT group_concat(seq, ' ') FROM (SELECT seq FROM chunkref WHERE nar_id = $t ORDER BY seq)", added[2].NarId.ToString()));

        // Rows: hashes, JSON columns, booleans, NULLs.
        Assert.All(Strings(db, "SELECT nar_hash FROM nar"), h => Assert.Matches("^sha256:[0-9a-f]{64}$", h));
        Assert.Equal(nars.Select(n => AtticFixture.TypedHash(n.Nar)), Strings(db, "SELECT nar_hash FROM nar ORDER BY id"));
        Assert.Equal(nars.Select(n => n.Nar.Length.ToString()), Strings(db, "SELECT nar_size FROM nar ORDER BY id"));
        Assert.Equal(["old 1 /nix/store 41 [\"cache.nixos.org-1\",\"old-1\"] 0", "other 0 /nix/store 41 [\"cache.nixos.org-1\"] -"],
            Strings(db, "SELECT name || ' ' || is_public || ' ' || store_dir || ' ' || priority || ' ' || upstream_cache_key_names || ' ' || coalesce(retention_period, '-') FROM cache ORDER BY id"));
        Assert.Equal(["integer integer"], Strings(db, "SELECT DISTINCT typeof(is_public) || ' ' || typeof(priority) FROM cache"));
        Assert.Equal(keypair, Strings(db, "SELECT keypair FROM cache WHERE name = 'old'").Single());
        Assert.Equal("[\"" + Path.GetFileName(nars[0].Path) + "\"]", Strings(db, "SELECT \"references\" FROM object WHERE store_path = $t", nars[1].Path).Single());
        Assert.Equal("[]", Strings(db, "SELECT \"references\" FROM object WHERE store_path = $t", nars[0].Path).First());
        Assert.Matches("""^\["builder-1:[A-Za-z0-9+/]{86}=="\]$""", Strings(db, "SELECT sigs FROM object WHERE store_path = $t", nars[0].Path).Single());
        Assert.Equal(new string('b', 32) + " system:null deriver:null ca:fixed:r:sha256:1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s",
            Strings(db, "SELECT store_path_hash || ' system:' || coalesce(system, 'null') || ' deriver:' || coalesce(deriver, 'null') || ' ca:' || ca FROM object WHERE store_path = $t", nars[1].Path).Single());
        Assert.Equal(["set", "null", "set", "null", "set", "null"],
            Strings(db, "SELECT CASE WHEN last_accessed_at IS NULL THEN 'null' ELSE 'set' END FROM object ORDER BY id"));

        // Every time as sqlx writes it, nine fraction digits and +00:00, in the order the rows were written.
        var times = Strings(db, """
            SELECT created_at FROM cache UNION ALL SELECT created_at FROM nar UNION ALL SELECT created_at FROM chunk
            UNION ALL SELECT created_at FROM object UNION ALL SELECT last_accessed_at FROM object WHERE last_accessed_at IS NOT NULL
            """);
        Assert.Equal(2 + 5 + 12 + 6 + 3, times.Length);
        Assert.All(times, t => Assert.Matches(SqlxTimestamp(), t));
        Assert.Equal(["text"], Strings(db, "SELECT DISTINCT typeof(created_at) FROM object"));
        var objectTimes = Strings(db, "SELECT created_at FROM object ORDER BY id");
        Assert.Equal(objectTimes.Order(StringComparer.Ordinal), objectTimes);
        Assert.All(objectTimes, t => Assert.InRange(DateTimeOffset.Parse(t), DateTimeOffset.UtcNow.AddDays(-91), DateTimeOffset.UtcNow.AddDays(-89)));
        Assert.Equal("2026-06-26T14:16:13.123456700+00:00", AtticFixture.SqlxTime(new DateTimeOffset(2026, 6, 26, 14, 16, 13, TimeSpan.Zero).AddTicks(1_234_567)));
        Assert.Equal("2026-06-26T14:16:13+00:00", AtticFixture.SqlxTime(new DateTimeOffset(2026, 6, 26, 14, 16, 13, TimeSpan.Zero)));
        Assert.Equal("2026-06-26T14:16:13.500+00:00", AtticFixture.SqlxTime(new DateTimeOffset(2026, 6, 26, 14, 16, 13, 500, TimeSpan.Zero)));
    }

    [Fact]
    public void The_server_toml_names_the_database_and_storage_the_way_atticd_reads_them()
    {
        var fixture = AtticFixture.Create(_directory, AtticLevel.L2, AtticEra.SeaQuery032);
        var toml = File.ReadAllText(fixture.WriteServerToml());
        Assert.Contains($"[database]\nurl = \"sqlite://{fixture.DatabasePath}?mode=rwc\"\n", toml);
        Assert.Contains($"[storage]\ntype = \"local\"\npath = \"{fixture.StoragePath}\"\n", toml);
        Assert.Contains("[chunking]\nnar-size-threshold = 65536\nmin-size = 16384\navg-size = 65536\nmax-size = 262144\n", toml);
        Assert.Matches(@"\[jwt\.signing\]\ntoken-hs256-secret-base64 = ""[A-Za-z0-9+/]{64}""", toml);
        Assert.StartsWith("sqlite:///", fixture.DatabaseUrl);
    }

    [Theory]
    [InlineData(AtticLevel.L1, AtticEra.SeaQuery027)]
    [InlineData(AtticLevel.L2, AtticEra.SeaQuery032)]
    public async Task A_deployment_holds_a_real_closure_that_reassembles_to_what_nix_dumps(AtticLevel level, AtticEra era)
    {
        var deployment = await AtticDeployment.CreateAsync(_nix, _directory, level, era, paths: 6);

        Assert.Equal(6, deployment.Paths.Count);
        Assert.Equal(deployment.PublicKey, await NixStorePaths.PublicKeyAsync(_nix, deployment.Cache.Keypair));
        Assert.StartsWith("old-1:", deployment.PublicKey);
        Assert.True(File.Exists(deployment.ServerToml));
        Assert.Equal(deployment.Fixture.DatabasePath, deployment.DatabasePath);

        var closure = await _nix.RunAsync("nix-store", ["-qR", deployment.Top]);
        Assert.Equal(deployment.StorePaths.Select(p => p.Path).Order(), closure.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        using var db = Open(deployment.DatabasePath);
        foreach (var path in deployment.StorePaths)
        {
            var nar = Reassemble(db, deployment.StoragePath, path.Path);
            Assert.Equal(await NixStorePaths.DumpAsync(_nix, path.Path), nar);
            var references = await _nix.RunAsync("nix-store", ["-q", "--references", path.Path]);
            Assert.Equal(
                JsonSerializer.Serialize(references.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFileName).Order(StringComparer.Ordinal)),
                JsonSerializer.Serialize(JsonSerializer.Deserialize<string[]>(Strings(db, "SELECT \"references\" FROM object WHERE store_path = $t", path.Path).Single())!.Order(StringComparer.Ordinal)));
        }
        Assert.Contains(deployment.Paths, p => p.Layout == AtticLayout.SingleFileXz);
        Assert.Contains(deployment.Paths, p => p.Layout == AtticLayout.SingleChunkZstd);
        Assert.Contains(deployment.Paths, p => p.Chunks.Count == 3);
        Assert.Equal(["1"], Strings(db, "SELECT count(*) FROM (SELECT chunk_id FROM chunkref GROUP BY chunk_id HAVING count(DISTINCT nar_id) = 2)"));
        Assert.Equal(["sha256:" + Convert.ToHexStringLower(SHA256.HashData(NixStorePaths.SharedFileContent))],
            Strings(db, "SELECT c.chunk_hash FROM chunk c WHERE (SELECT count(*) FROM chunkref r WHERE r.chunk_id = c.id) = 2"));
        Assert.Equal(["old"], Strings(db, "SELECT name FROM cache"));
    }

    /// <summary>The NAR of <paramref name="storePath"/> from the database and storage alone, checked against nar_hash and nar_size.</summary>
    private static byte[] Reassemble(SqliteConnection db, string storage, string storePath)
    {
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT n.nar_hash, n.nar_size, n.num_chunks, c.remote_file, c.compression FROM object o
            JOIN nar n ON n.id = o.nar_id JOIN chunkref r ON r.nar_id = n.id JOIN chunk c ON c.id = r.chunk_id
            WHERE o.id = (SELECT min(id) FROM object WHERE store_path = $path) ORDER BY r.seq
            """;
        command.Parameters.AddWithValue("$path", storePath);
        using var reader = command.ExecuteReader();
        using var nar = new MemoryStream();
        string? narHash = null;
        long narSize = 0, numChunks = 0, pieces = 0;
        while (reader.Read())
        {
            (narHash, narSize, numChunks) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
            var name = FileName(reader.GetString(3));
            nar.Write(AtticFixture.Decompress(reader.GetString(4), File.ReadAllBytes(Path.Combine(storage, name[..1], name[..2], name))));
            pieces++;
        }
        Assert.NotNull(narHash);
        Assert.Equal(numChunks, pieces);
        Assert.Equal(narSize, nar.Length);
        Assert.Equal(narHash, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(nar.ToArray())));
        return nar.ToArray();
    }

    private static string FileName(string remoteFile) =>
        JsonDocument.Parse(remoteFile).RootElement.GetProperty("Local").GetProperty("name").GetString()!;

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static string[] Strings(SqliteConnection db, string sql, string? parameter = null)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("$t", parameter);
        }
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? "NULL" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        return [.. values];
    }
}
