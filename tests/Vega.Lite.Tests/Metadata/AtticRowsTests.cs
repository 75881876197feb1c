using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Vega.Lite.Config;
using Vega.Lite.Core.Nix;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Tests.Metadata;

/// <summary>
/// What the metadata store writes into Attic's tables is what atticd writes (docs/attic-database.md §1.3): times as
/// sqlx's text, <c>remote_file</c> as serde's JSON with its id, hashes <c>sha256:hex</c>, JSON columns unescaped; on
/// an L1 database chunkref's extra columns filled; and what atticd wrote (9-digit times, <c>&lt;uuid&gt;.nar</c> blobs)
/// is read and collected.
/// </summary>
public sealed partial class AtticRowsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-attic-rows-" + Guid.NewGuid().ToString("N")[..12]);

    public AtticRowsTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}\+00:00$")]
    private static partial Regex SqlxTime();

    private static readonly S3StorageConfig S3 = new("eu-west-3", "attic-bucket", "http://127.0.0.1:9", null, null);

    private (string Path, MetadataStore Store) NewDatabase(RemoteFiles remoteFiles, string name = "server.db", TimeProvider? time = null)
    {
        var path = Path.Combine(_directory, name);
        var database = new SqliteDatabase("sqlite://" + path);
        database.Migrate(remoteFiles);
        return (path, new MetadataStore(database, remoteFiles, time ?? TimeProvider.System));
    }

    private static List<List<string>> Rows(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<List<string>>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString()!).ToList());
        }
        return rows;
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static NewChunk Chunk(string key, byte[] bytes) =>
        new(key, NixHash.Of(bytes), bytes.Length, NixHash.Of([.. bytes, 1]), bytes.Length + 1, "zstd");

    private static ObjectMetadata Path1(string sig) => new("0c6kzph7l0dcbfmjap64f0czdafn3b7x",
        "/nix/store/0c6kzph7l0dcbfmjap64f0czdafn3b7x-hello-2.12", ["0c6kzph7l0dcbfmjap64f0czdafn3b7x-hello-2.12"], null, [sig], null, "ci");

    private static async Task<long> CacheAsync(MetadataStore store)
    {
        Assert.True(await store.CreateCacheAsync(new NewCache("main", NixKeypair.Generate("main"), true, "/nix/store", 41, ["cache.nixos.org-1"]), default));
        return (await store.GetCacheAsync("main", default))!.Id;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rows_written_are_in_Attics_encodings(bool s3)
    {
        var remoteFiles = s3 ? RemoteFiles.For(S3) : RemoteFiles.Local;
        var (path, store) = NewDatabase(remoteFiles);
        var cache = await CacheAsync(store);
        var key = BlobKey.New();
        var nar = new NarToRecord("sha256:" + new string('a', 64), 1234, "zstd", [new PlannedChunk(null, Chunk(key, [1, 2, 3]))], null);
        await store.RecordUploadedPathAsync(cache, nar, Path1("main-1:ab+c/d=="), default);

        var times = Rows(path, "SELECT created_at FROM cache UNION ALL SELECT created_at FROM nar UNION ALL SELECT created_at FROM chunk UNION ALL SELECT created_at FROM object");
        Assert.Equal(4, times.Count);
        Assert.All(times, t => Assert.Matches(SqlxTime(), t[0]));
        var chunk = Rows(path, "SELECT remote_file, remote_file_id, chunk_hash, file_hash, compression, state FROM chunk").Single();
        Assert.Equal(s3 ? $$$"""{"S3":{"region":"eu-west-3","bucket":"attic-bucket","key":"{{{key}}}"}}""" : $$$"""{"Local":{"name":"{{{key}}}"}}""", chunk[0]);
        Assert.Equal(s3 ? $"s3:eu-west-3/attic-bucket/{key}" : $"local:{key}", chunk[1]);
        Assert.Equal(NixHash.Of([1, 2, 3]).ToHexString(), chunk[2]);
        Assert.StartsWith("sha256:", chunk[3]);
        Assert.Equal(["zstd", "V"], chunk[4..]);
        Assert.Equal([["""["0c6kzph7l0dcbfmjap64f0czdafn3b7x-hello-2.12"]""", """["main-1:ab+c/d=="]""", "ci", "NULL"]],
            Rows(path, """SELECT "references", sigs, created_by, last_accessed_at FROM object"""));
        Assert.Equal([["main", """["cache.nixos.org-1"]""", "1", "NULL"]], Rows(path, "SELECT name, upstream_cache_key_names, is_public, deleted_at FROM cache"));

        var chunks = await store.GetNarChunksForDownloadAsync("main", "0c6kzph7l0dcbfmjap64f0czdafn3b7x", default);
        Assert.Equal(key, chunks!.Chunks.Single().BlobKey);
        Assert.Matches(SqlxTime(), Rows(path, "SELECT last_accessed_at FROM object")[0][0]);
        Assert.True(await store.DeleteCacheAsync(cache, soft: true, default));
        Assert.Matches(SqlxTime(), Rows(path, "SELECT deleted_at FROM cache")[0][0]);
    }

    /// <summary>Attic L1's chunkref (before m20260624_000001_remove_chunk_recovery), as in docs/attic-database.md §1.1.</summary>
    private const string L1ChunkRef =
        """
        DROP TABLE chunkref;
        CREATE TABLE "chunkref" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "nar_id" bigint NOT NULL, "seq" integer NOT NULL, "chunk_id" bigint NULL, "chunk_hash" varchar NOT NULL, "compression" varchar NOT NULL, FOREIGN KEY ("chunk_id") REFERENCES "chunk" ("id") ON DELETE SET NULL, FOREIGN KEY ("nar_id") REFERENCES "nar" ("id") ON DELETE CASCADE );
        ALTER TABLE nar ADD COLUMN "completeness_hint" boolean NOT NULL DEFAULT TRUE;
        DELETE FROM seaql_migrations WHERE version IN ('m20260508_000001_add_chunk_state_holders_index', 'm20260611_000001_add_nar_state_holders_index', 'm20260624_000001_remove_chunk_recovery');
        """;

    [Fact]
    public async Task On_an_L1_database_chunk_refs_carry_their_chunks_hash_and_compression()
    {
        var path = Path.Combine(_directory, "l1.db");
        Execute(path, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "attic-schema-sqlite.sql")) + L1ChunkRef);
        var database = new SqliteDatabase("sqlite://" + path);
        Assert.Null(database.Migrate(RemoteFiles.Local));
        var store = new MetadataStore(database, RemoteFiles.Local, TimeProvider.System);
        var cache = await CacheAsync(store);
        byte[] first = [1], second = [2];
        var nar = new NarToRecord("sha256:" + new string('b', 64), 99, "zstd",
            [new PlannedChunk(null, Chunk(BlobKey.New(), first)), new PlannedChunk(null, Chunk(BlobKey.New(), second))], null);
        await store.RecordUploadedPathAsync(cache, nar, Path1("k:s"), default);

        Assert.Equal(
            [["0", NixHash.Of(first).ToHexString(), "zstd", "1"], ["1", NixHash.Of(second).ToHexString(), "zstd", "1"]],
            Rows(path, "SELECT r.seq, r.chunk_hash, r.compression, n.completeness_hint FROM chunkref r JOIN nar n ON n.id = r.nar_id ORDER BY r.seq"));
        Assert.NotNull(await store.FindObjectAsync("main", "0c6kzph7l0dcbfmjap64f0czdafn3b7x", default));
        Assert.Equal(12, Rows(path, "SELECT COUNT(*) FROM seaql_migrations")[0][0] is var n ? int.Parse(n) : 0);
    }

    [Fact]
    public async Task What_atticd_wrote_is_served_and_expires_by_its_text_times()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-07-01T00:00:00Z"));
        var (path, store) = NewDatabase(RemoteFiles.Local, time: clock);
        var cache = await CacheAsync(store);
        var old = Guid.NewGuid().ToString("D") + ".nar";
        // A pre-2023 NAR as atticd's migration m20230112_000004 left it, pushed 2026-06-20 with 9 fraction digits, and
        // a path this store records now: retention 5 days expires the first only.
        Execute(path,
            $$$"""
            INSERT INTO nar (id, state, nar_hash, nar_size, compression, num_chunks, holders_count, created_at)
            VALUES (100, 'V', 'sha256:{{{new string('c', 64)}}}', 10, 'xz', 1, 0, '2026-06-20T10:00:00.123456789+00:00');
            INSERT INTO chunk (id, state, chunk_hash, chunk_size, file_hash, file_size, compression, remote_file, remote_file_id, holders_count, created_at)
            VALUES (100, 'V', 'sha256:{{{new string('c', 64)}}}', 10, 'sha256:{{{new string('d', 64)}}}', 8, 'xz', '{"Local":{"name":"{{{old}}}"}}', 'local:{{{old}}}', 0, '2026-06-20T10:00:00.123456789+00:00');
            INSERT INTO chunkref (nar_id, seq, chunk_id) VALUES (100, 0, 100);
            INSERT INTO object (cache_id, nar_id, store_path_hash, store_path, "references", system, deriver, sigs, ca, created_at, last_accessed_at, created_by)
            VALUES ({{{cache}}}, 100, 'ffffffffffffffffffffffffffffffff', '/nix/store/ffffffffffffffffffffffffffffffff-old', '[]', NULL, NULL, '[]', NULL, '2026-06-20T10:00:00.123456789+00:00', NULL, NULL);
            UPDATE cache SET retention_period = {{{5 * 86400}}};
            """);
        var served = await store.GetNarChunksForDownloadAsync("main", "ffffffffffffffffffffffffffffffff", default);
        Assert.Equal(old, served!.Chunks.Single().BlobKey);
        Assert.Equal("xz", (await store.FindObjectAsync("main", "ffffffffffffffffffffffffffffffff", default))!.Compression);
        clock.Now = DateTimeOffset.Parse("2026-07-05T00:00:00Z");
        var nar = new NarToRecord("sha256:" + new string('e', 64), 5, "zstd", [new PlannedChunk(null, Chunk(BlobKey.New(), [9]))], null);
        await store.RecordUploadedPathAsync(cache, nar, Path1("k:s"), default);

        // Downloaded at 2026-07-01T00:00:00 (stored as …00.000000000+00:00): kept while the cutoff is not past that.
        clock.Now = DateTimeOffset.Parse("2026-07-06T00:00:00Z");
        Assert.Equal(0, await store.DeleteExpiredObjectsAsync(0, default));
        clock.Now = DateTimeOffset.Parse("2026-07-06T00:00:01Z");
        Assert.Equal(1, await store.DeleteExpiredObjectsAsync(0, default));
        Assert.Equal([["0c6kzph7l0dcbfmjap64f0czdafn3b7x"]], Rows(path, "SELECT store_path_hash FROM object"));
        Assert.Equal(1, await store.DeleteOrphanNarsAsync(default));
        Assert.Equal(1, await store.MarkOrphanChunksAsync(default));
        Assert.Equal(old, (await store.GetChunksToDeleteAsync(10, 0, default)).Single().BlobKey);
    }

    [Fact]
    public async Task A_row_of_another_storage_is_found_at_start_and_refused_when_read()
    {
        var (path, store) = NewDatabase(RemoteFiles.For(S3));
        var cache = await CacheAsync(store);
        await store.RecordUploadedPathAsync(cache,
            new NarToRecord("sha256:" + new string('a', 64), 1, "zstd", [new PlannedChunk(null, Chunk(BlobKey.New(), [1]))], null), Path1("k:s"), default);
        Assert.Equal(0, (await store.FindChunksElsewhereAsync(default)).Count);

        var key = BlobKey.New();
        Execute(path,
            $$$"""
            UPDATE chunk SET remote_file = '{"S3":{"region":"eu-west-3","bucket":"other","key":"{{{key}}}"}}', remote_file_id = 's3:eu-west-3/other/{{{key}}}';
            """);
        var (count, examples) = await store.FindChunksElsewhereAsync(default);
        Assert.Equal(1, count);
        Assert.EndsWith("is in bucket \"other\", not the configured \"attic-bucket\"", examples.Single());
        await Assert.ThrowsAsync<InvalidDataException>(() => store.GetNarChunksForDownloadAsync("main", "0c6kzph7l0dcbfmjap64f0czdafn3b7x", default));

        Execute(path, $$$"""UPDATE chunk SET remote_file = '{"Local":{"name":"{{{key}}}"}}', remote_file_id = 'local:{{{key}}}';""");
        Assert.Contains("is not a blob of this server's S3 storage", (await store.FindChunksElsewhereAsync(default)).Examples.Single());
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
