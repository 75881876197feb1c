using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// The published binary started on an atticd deployment as atticd left it (AtticDeployment: its database at L1 or L2,
/// its local storage with NARs in every layout atticd has used, its own server.toml), with nothing re-pushed: real Nix
/// substitutes the whole closure from it with only the cache's original key trusted, and what the attic client and
/// <c>nix copy --to</c> then push lands in Attic's own encodings, so the database stays one that atticd can read.
/// </summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed partial class AtticDeploymentTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-e2e-attic-deploy-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly NixEnvironment _nix = new();
    private static readonly string[] OldTables = ["cache", "nar", "chunk", "chunkref", "object"];
    private string[]? _oldMaxIds;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _nix.Dispose();
        if (Directory.Exists(_directory)) // a server started in it deletes it when disposed
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A time as sqlx writes one (0/3/6/9 fraction digits, always +00:00): what atticd's rows hold.</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?\+00:00$")]
    private static partial Regex SqlxTime();

    /// <summary>A time as Vega.Lite writes one into Attic's tables: .NET's seven digits padded to nine (docs/attic-database.md §3).</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}00\+00:00$")]
    private static partial Regex VegaTime();

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}$")]
    private static partial Regex TypedHash();

    [GeneratedRegex("""^\{"Local":\{"name":"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.chunk)"\}\}$""")]
    private static partial Regex LocalRemoteFile();

    /// <summary>Everything in seaql_migrations as stored: each value's bytes and storage class, in rowid order.</summary>
    private const string SeaqlMigrations =
        "SELECT rowid, hex(version), typeof(version), hex(applied_at), typeof(applied_at) FROM seaql_migrations ORDER BY rowid";

    /// <summary>Attic's tables and indexes as sqlite_master has them (Vega.Lite's own are named vega…).</summary>
    private const string AtticObjects = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'vega%' AND tbl_name NOT LIKE 'vega%' ORDER BY name";

    [Theory]
    [InlineData(AtticLevel.L1, AtticEra.SeaQuery030)]
    [InlineData(AtticLevel.L2, AtticEra.SeaQuery032)]
    public async Task Nix_substitutes_the_whole_closure_atticd_stored_in_every_layout_with_its_original_key(AtticLevel level, AtticEra era)
    {
        var deployment = await AtticDeployment.CreateAsync(_nix, _directory, level, era, paths: 6, cacheName: "old");
        AssertEveryLayoutIsThere(deployment);
        var closure = await _nix.RunAsync("nix-store", ["-qR", deployment.Top]);
        Assert.True(closure.ExitCode == 0, closure.Describe("nix-store -qR"));
        Assert.Equal(deployment.StorePaths.Select(p => p.Path).Order(StringComparer.Ordinal),
            closure.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        var seaql = Rows(deployment.DatabasePath, SeaqlMigrations);
        var attic = Rows(deployment.DatabasePath, AtticObjects);
        var oldRows = OldRows(deployment.DatabasePath);

        await using var server = await VegaLiteProcess.StartAsync(deployment.Directory);
        Assert.Equal(deployment.ServerToml, server.ConfigPath);

        var store = Path.Combine(_nix.Directory, "substituted");
        await SubstituteAsync(server, deployment, store, [deployment.Top]);
        await AssertSameAsLocalAsync(server, deployment, store, deployment.StorePaths.Select(p => p.Path).ToArray());

        Assert.Equal(seaql, Rows(deployment.DatabasePath, SeaqlMigrations));
        Assert.Equal(attic, Rows(deployment.DatabasePath, AtticObjects));
        Assert.Equal(oldRows, OldRows(deployment.DatabasePath));
        AssertAtticTimes(deployment.DatabasePath);
    }

    [Theory]
    [InlineData(AtticLevel.L1, AtticEra.SeaQuery030)]
    [InlineData(AtticLevel.L2, AtticEra.SeaQuery032)]
    public async Task What_attic_push_and_nix_copy_add_to_atticds_database_is_in_atticds_encodings(AtticLevel level, AtticEra era)
    {
        var deployment = await AtticDeployment.CreateAsync(_nix, _directory, level, era, paths: 6, cacheName: "old");
        AssertEveryLayoutIsThere(deployment);
        var seaql = Rows(deployment.DatabasePath, SeaqlMigrations);
        var attic = Rows(deployment.DatabasePath, AtticObjects);
        var maxIds = Rows(deployment.DatabasePath, "SELECT (SELECT max(id) FROM object), (SELECT max(id) FROM nar), (SELECT max(id) FROM chunk), (SELECT max(id) FROM chunkref)")
            .Single().Split('|').Select(long.Parse).ToArray();
        var oldRows = OldRows(deployment.DatabasePath);
        // Two new paths that refer to the deployment's top, so both pushes find the old closure already there.
        var (pushed, copied) = await BuildOnTopAsync(deployment.Top);

        await using var server = await VegaLiteProcess.StartAsync(deployment.Directory);
        var token = await server.MakeTokenAsync("--pull", "old", "--push", "old");

        using (var client = new AtticClient(_nix, server.BaseUrl + "/", token))
        {
            var push = await server.LoggedAsync(() => client.PushAsync("old", [pushed]));
            Assert.Equal(deployment.StorePaths.Count + 1, push.Candidates.Count);
            Assert.Equal([Path.GetFileName(pushed)[..32]], push.Missing);
            Assert.Equal([pushed], push.Uploads.Keys);
        }

        _nix.SetToken(token);
        var copy = await _nix.RunAsync("nix", ["copy", "--to", $"{server.BaseUrl}/old", copied]);
        Assert.True(copy.ExitCode == 0, copy.Describe("nix copy --to") + "\n--- server\n" + server.Log);
        _nix.SetToken(null);

        // The new paths come back through Nix too, signed with the deployment's key.
        var store = Path.Combine(_nix.Directory, "substituted-new");
        await SubstituteAsync(server, deployment, store, [pushed, copied]);
        await AssertSameAsLocalAsync(server, deployment, store, [pushed, copied, .. deployment.StorePaths.Select(p => p.Path)]);

        var db = deployment.DatabasePath;
        Assert.Equal(seaql, Rows(db, SeaqlMigrations));
        Assert.Equal(attic, Rows(db, AtticObjects));
        Assert.Equal(oldRows, OldRows(db));
        AssertAtticTimes(db);

        // Exactly two objects, two NARs: nothing of the old closure was uploaded again.
        Assert.Equal(new[] { pushed, copied }.Order(StringComparer.Ordinal),
            Rows(db, $"SELECT store_path FROM object WHERE id > {maxIds[0]}").Order(StringComparer.Ordinal));
        Assert.Equal(["2"], Rows(db, $"SELECT count(*) FROM nar WHERE id > {maxIds[1]}"));

        foreach (var path in new[] { pushed, copied })
        {
            var nar = await NixStorePaths.DumpAsync(_nix, path);
            var objectRow = Rows(db, $"""
                SELECT o.cache_id = c.id, o.store_path_hash, o."references", typeof(o.created_at), o.created_at, n.state, n.nar_hash, n.nar_size,
                       n.compression, n.num_chunks, typeof(n.created_at), n.created_at, n.id
                FROM object o JOIN cache c ON c.name = 'old' JOIN nar n ON n.id = o.nar_id WHERE o.store_path = '{path}'
                """).Single().Split('|');
            Assert.Equal("1", objectRow[0]);
            Assert.Equal(Path.GetFileName(path)[..32], objectRow[1]);
            Assert.Equal(JsonSerializer.Serialize(new[] { Path.GetFileName(deployment.Top) }), objectRow[2]);
            Assert.Equal("text", objectRow[3]);
            Assert.Matches(VegaTime(), objectRow[4]);
            Assert.Equal("V", objectRow[5]);
            Assert.Equal(AtticFixture.TypedHash(nar), objectRow[6]);
            Assert.Equal(nar.LongLength.ToString(CultureInfo.InvariantCulture), objectRow[7]);
            Assert.Equal("zstd", objectRow[8]); // the configured compression, as atticd records it for a chunked NAR
            Assert.Equal("text", objectRow[10]);
            Assert.Matches(VegaTime(), objectRow[11]);
            var narId = long.Parse(objectRow[12], CultureInfo.InvariantCulture);

            var chunkrefColumns = level == AtticLevel.L1 ? "r.chunk_hash, r.compression" : "NULL, NULL";
            var chunks = Rows(db, $"""
                SELECT r.seq, r.chunk_id > {maxIds[2]}, r.id > {maxIds[3]}, {chunkrefColumns}, c.state, c.chunk_hash, c.chunk_size, c.file_hash,
                       c.file_size, c.compression, c.remote_file, c.remote_file_id, typeof(c.created_at), c.created_at, c.holders_count
                FROM chunkref r JOIN chunk c ON c.id = r.chunk_id WHERE r.nar_id = {narId} ORDER BY r.seq
                """);
            Assert.Equal(objectRow[9], chunks.Count.ToString(CultureInfo.InvariantCulture));
            Assert.True(chunks.Count > 1, $"{path}: a {nar.Length}-byte NAR over the 64 KiB threshold is chunked, got {chunks.Count} chunk(s)");
            using var reassembled = new MemoryStream();
            for (var seq = 0; seq < chunks.Count; seq++)
            {
                var c = chunks[seq].Split('|');
                Assert.Equal(seq.ToString(CultureInfo.InvariantCulture), c[0]);
                Assert.Equal("1", c[1]); // a new chunk: random payload cannot match an old one
                Assert.Equal("1", c[2]);
                Assert.Equal("V", c[5]);
                Assert.Matches(TypedHash(), c[6]);
                Assert.Matches(TypedHash(), c[8]);
                if (level == AtticLevel.L1)
                {
                    Assert.Equal(c[6], c[3]);   // chunkref.chunk_hash filled with the chunk's
                    Assert.Equal(c[10], c[4]);  // chunkref.compression likewise
                }
                Assert.Equal("zstd", c[10]);
                var name = Assert.Single(LocalRemoteFile().Matches(c[11])).Groups[1].Value;
                Assert.Equal("local:" + name, c[12]);
                Assert.Equal("text", c[13]);
                Assert.Matches(VegaTime(), c[14]);
                Assert.Equal("0", c[15]);
                var file = File.ReadAllBytes(Path.Combine(deployment.StoragePath, name[..1], name[..2], name));
                Assert.Equal(c[9], file.LongLength.ToString(CultureInfo.InvariantCulture));
                Assert.Equal(c[8], AtticFixture.TypedHash(file));
                var piece = AtticFixture.Decompress(c[10], file);
                Assert.Equal(c[7], piece.LongLength.ToString(CultureInfo.InvariantCulture));
                Assert.Equal(c[6], AtticFixture.TypedHash(piece));
                reassembled.Write(piece);
            }
            Assert.Equal(nar, reassembled.ToArray());
        }
        // One file per chunk row, old and new, and nothing else but VERSION: no upload left a stray file behind.
        Assert.Equal(Rows(db, "SELECT count(*) FROM chunk").Single(),
            (Directory.GetFiles(deployment.StoragePath, "*", SearchOption.AllDirectories).Length - 1).ToString(CultureInfo.InvariantCulture));
        if (level == AtticLevel.L1)
        {
            Assert.Equal(["0"], Rows(db, $"SELECT count(*) FROM chunkref WHERE id > {maxIds[3]} AND (chunk_hash IS NULL OR compression IS NULL)"));
        }
        else
        {
            Assert.DoesNotContain("chunk_hash", Rows(db, "SELECT name FROM pragma_table_info('chunkref')"));
        }
    }

    /// <summary>The deployment mixes every layout atticd has used, read from its database and storage, not from the fixture's records.</summary>
    private static void AssertEveryLayoutIsThere(AtticDeployment deployment)
    {
        var db = deployment.DatabasePath;
        Assert.Contains(deployment.Paths, p => p.Layout == AtticLayout.SingleFileXz);
        Assert.Contains(deployment.Paths, p => p.Layout == AtticLayout.SingleChunkZstd);
        Assert.Contains(deployment.Paths, p => p.Layout.Kind == "chunked-zstd");
        // Single-file xz NARs from before chunking: <uuid>.nar, one chunk, the file in storage.
        var xz = Rows(db, "SELECT c.remote_file_id FROM nar n JOIN chunkref r ON r.nar_id = n.id JOIN chunk c ON c.id = r.chunk_id " +
            "WHERE n.compression = 'xz' AND n.num_chunks = 1 AND c.compression = 'xz' AND c.remote_file_id LIKE 'local:%.nar'");
        Assert.True(xz.Count >= 2, $"{xz.Count} single-file xz NARs");
        Assert.All(xz, id => Assert.True(File.Exists(StorageFile(deployment, id["local:".Length..])), id));
        Assert.True(Rows(db, "SELECT id FROM nar WHERE compression = 'zstd' AND num_chunks = 1").Count >= 1, "no single-chunk zstd NAR");
        Assert.True(Rows(db, "SELECT id FROM nar WHERE compression = 'zstd' AND num_chunks > 1").Count >= 3, "fewer than three chunked NARs");
        Assert.Equal(["1"], Rows(db, "SELECT count(*) FROM (SELECT chunk_id FROM chunkref GROUP BY chunk_id HAVING count(DISTINCT nar_id) = 2)"));
        Assert.Equal(deployment.StorePaths.Count.ToString(CultureInfo.InvariantCulture), Rows(db, "SELECT count(*) FROM object").Single());
    }

    private static string StorageFile(AtticDeployment deployment, string name) => Path.Combine(deployment.StoragePath, name[..1], name[..2], name);

    /// <summary><c>nix copy --from http://…/old --to STORE</c> trusting only the deployment's key, signatures required.</summary>
    private async Task SubstituteAsync(VegaLiteProcess server, AtticDeployment deployment, string store, string[] paths)
    {
        var pull = await _nix.RunAsync("nix", ["copy", "--from", $"{server.BaseUrl}/old", "--to", store, .. paths],
            "require-sigs = true", $"trusted-public-keys = {deployment.PublicKey}");
        Assert.True(pull.ExitCode == 0, pull.Describe("nix copy --from") + "\n--- server\n" + server.Log);
    }

    /// <summary>
    /// Each path in <paramref name="store"/> has the local store's NAR hash, size and references, its contents hash to
    /// it, and it carries a signature by the deployment's key (<c>nix store verify --sigs-needed 1</c>).
    /// </summary>
    private async Task AssertSameAsLocalAsync(VegaLiteProcess server, AtticDeployment deployment, string store, string[] paths)
    {
        var local = await PathInfoAsync(null, paths);
        var copied = await PathInfoAsync(store, paths);
        Assert.Equal(paths.Length, local.Count);
        Assert.Equal(local, copied);
        foreach (var path in paths)
        {
            Assert.Equal(Nars.HashOf(path), Nars.HashOf(store + path));
        }
        var verify = await _nix.RunAsync("nix", ["store", "verify", "--store", store, "--sigs-needed", "1", .. paths],
            $"trusted-public-keys = {deployment.PublicKey}");
        Assert.True(verify.ExitCode == 0, verify.Describe("nix store verify") + "\n--- server\n" + server.Log);
    }

    /// <summary>path → "narHash narSize references" from <c>nix path-info --json</c> of the local store or <paramref name="store"/>.</summary>
    private async Task<Dictionary<string, string>> PathInfoAsync(string? store, string[] paths)
    {
        var info = await _nix.RunAsync("nix", ["path-info", "--json", .. store is null ? Array.Empty<string>() : ["--store", store], .. paths]);
        Assert.True(info.ExitCode == 0, info.Describe("nix path-info --json"));
        using var json = JsonDocument.Parse(info.Stdout);
        return json.RootElement.EnumerateArray().ToDictionary(
            e => e.GetProperty("path").GetString()!,
            e => $"{e.GetProperty("narHash").GetString()} {e.GetProperty("narSize").GetInt64()} " +
                string.Join(',', e.GetProperty("references").EnumerateArray().Select(r => r.GetString()).Order(StringComparer.Ordinal)));
    }

    /// <summary>Two new paths of 300 KB and 200 KB random payload, each referring to <paramref name="top"/>.</summary>
    private async Task<(string Pushed, string Copied)> BuildOnTopAsync(string top)
    {
        var nonce = Guid.NewGuid().ToString("N")[..10];
        var expression = Path.Combine(_nix.Directory, $"on-top-{nonce}.nix");
        File.WriteAllText(expression,
            $$"""
            let
              top = builtins.storePath "{{top}}";
              mk = name: size: derivation {
                inherit name;
                system = builtins.currentSystem;
                builder = "/bin/sh";
                args = [ "-c" "/bin/mkdir $out && echo ${top} > $out/old && /bin/head -c ${toString size} /dev/urandom > $out/payload" ];
                allowSubstitutes = false;
              };
            in [ (mk "vega-pushed-{{nonce}}" 300000) (mk "vega-copied-{{nonce}}" 200000) ]
            """);
        var build = await _nix.RunAsync("nix-build", [expression, "--no-out-link"]);
        Assert.True(build.ExitCode == 0, build.Describe("nix-build"));
        var built = build.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, built.Length);
        return (built[0], built[1]);
    }

    /// <summary>
    /// The rows atticd left, by table: cache, nar, chunk and chunkref whole, object without last_accessed_at
    /// (substitution may move it); every value as hex with its storage class. Rows added later are left out.
    /// </summary>
    private List<string> OldRows(string path)
    {
        _oldMaxIds ??= Rows(path, "SELECT " + string.Join(", ", OldTables.Select(t => $"(SELECT coalesce(max(id), 0) FROM \"{t}\")")))
            .Single().Split('|');
        var rows = new List<string>();
        foreach (var (table, maxId) in OldTables.Zip(_oldMaxIds))
        {
            var columns = Rows(path, $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid")
                .Where(c => !(table == "object" && c == "last_accessed_at"))
                .Select(c => $"hex(\"{c}\") || ':' || typeof(\"{c}\")");
            rows.AddRange(Rows(path, $"SELECT '{table}', {string.Join(", ", columns)} FROM \"{table}\" WHERE id <= {maxId} ORDER BY id"));
        }
        return rows;
    }

    /// <summary>Every time in Attic's tables is text in sqlx's form: atticd could read each row back.</summary>
    private static void AssertAtticTimes(string path)
    {
        foreach (var (table, column) in new[]
        {
            ("cache", "created_at"), ("cache", "deleted_at"), ("nar", "created_at"), ("chunk", "created_at"),
            ("object", "created_at"), ("object", "last_accessed_at"),
        })
        {
            foreach (var row in Rows(path, $"SELECT typeof(\"{column}\") || ' ' || \"{column}\" FROM \"{table}\" WHERE \"{column}\" IS NOT NULL"))
            {
                Assert.StartsWith("text ", row);
                Assert.Matches(SqlxTime(), row["text ".Length..]);
            }
        }
    }

    private static List<string> Rows(string path, string sql)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount)
                .Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }
        return rows;
    }
}
