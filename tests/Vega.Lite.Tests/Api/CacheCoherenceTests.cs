using Vega.Lite.Api;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Api;

/// <summary>
/// What a server holds in memory follows changes another process commits (a garbage collector or verify on its own,
/// another replica's push or configure): on PostgreSQL a notification sent in their transaction, on SQLite the
/// invalidation counter the server polls, and the held entries' lifetimes behind both (issue 15, item 3). Writes that
/// bypass Vega.Lite's code (an atticd sharing the database, a person with psql or sqlite3) are plain SQL here: the
/// database's triggers tell the servers of those too.
/// </summary>
public sealed class CacheCoherenceTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("shared");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MetadataStore OtherProcess() => _server.OtherProcess();

    private static async Task<HttpStatusCode> NarInfoAsync(HttpClient client, TestNar nar)
    {
        using var response = await client.GetAsync($"/shared/{nar.Hash}.narinfo");
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> WaitForAsync(HttpClient client, TestNar nar, HttpStatusCode expected) =>
        await WaitForAsync(client, nar, expected, MetadataDatabase.ChangePollInterval * 5);

    private static async Task<HttpStatusCode> WaitForAsync(HttpClient client, TestNar nar, HttpStatusCode expected, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        HttpStatusCode status;
        while ((status = await NarInfoAsync(client, nar)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        return status;
    }

    [Fact]
    public async Task A_chunk_recorded_lost_by_another_process_hides_the_path_within_a_few_polls()
    {
        using var client = _server.Client(_server.RootToken);
        var nar = TestNar.File("held", "bytes");
        (await AtticUploads.Upload(client, "shared", nar)).Dispose();
        Assert.Equal(HttpStatusCode.OK, await NarInfoAsync(client, nar)); // held in memory from here on
        var chunk = _server.Scalar($"SELECT r.chunk_id FROM object o JOIN chunkref r ON r.nar_id = o.nar_id WHERE o.store_path_hash = '{nar.Hash}'");
        var other = OtherProcess();
        var before = await other.GetInvalidationGenerationAsync(CancellationToken.None);

        Assert.True(await other.RecordLostChunkAsync(chunk, CancellationToken.None));
        Assert.Equal(before + 1, await other.GetInvalidationGenerationAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, await WaitForAsync(client, nar, HttpStatusCode.NotFound));

        Assert.True(await other.RestoreLostChunkAsync(chunk, CancellationToken.None)); // verify --check-hashes took it back
        Assert.Equal(HttpStatusCode.OK, await WaitForAsync(client, nar, HttpStatusCode.OK));
    }

    [Fact]
    public async Task A_change_that_changes_nothing_leaves_the_counter_alone()
    {
        var other = OtherProcess();
        var before = await other.GetInvalidationGenerationAsync(CancellationToken.None);
        Assert.False(await other.RecordLostChunkAsync(12345, CancellationToken.None));
        Assert.Equal(0, await other.DeleteExpiredObjectsAsync(0, CancellationToken.None));
        Assert.Equal(before, await other.GetInvalidationGenerationAsync(CancellationToken.None));
    }

    /// <summary>What atticd's own statements leave in the object table: a row in Attic's encodings on an existing NAR.</summary>
    private int InsertObjectAsAtticdWould(long cacheId, long narId, TestNar nar) => _server.Execute(
        $"""
        INSERT INTO object (cache_id, nar_id, store_path_hash, store_path, "references", sigs, created_at)
        VALUES ({cacheId}, {narId}, '{nar.Hash}', '{nar.StorePath}', '[]', '[]', '2026-12-04T10:00:00.123456789+00:00')
        """);

    /// <summary>Who writes behind the server's back: another Vega.Lite process, or atticd's plain SQL.</summary>
    public static TheoryData<string> Writers => ["vega-lite", "atticd"];

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_path_another_writer_adds_is_served_where_it_was_held_absent(string writer)
    {
        using var client = _server.Client(_server.RootToken);
        var first = TestNar.File("first", "shared bytes");
        (await AtticUploads.Upload(client, "shared", first)).Dispose();
        var second = TestNar.File("second", "shared bytes");
        await Task.Delay(MetadataDatabase.ChangePollInterval * 2); // the cache's creation moved the counter: let the poll see it first
        Assert.Equal(HttpStatusCode.NotFound, await NarInfoAsync(client, second)); // the miss is held from here on
        var cacheId = _server.Scalar("SELECT id FROM cache WHERE name = 'shared'");
        var narId = _server.Scalar($"SELECT nar_id FROM object WHERE store_path_hash = '{first.Hash}'");
        var other = OtherProcess();

        var started = DateTime.UtcNow;
        if (writer == "atticd")
        {
            Assert.Equal(1, InsertObjectAsAtticdWould(cacheId, narId, second));
        }
        else
        {
            Assert.True(await other.UpsertObjectForCompleteNarAsync(cacheId, narId,
                new ObjectMetadata(second.Hash, second.StorePath, [], null, [], null, "other"), CancellationToken.None));
        }

        // PostgreSQL tells the server at once; SQLite has no channel, and the held miss ages out instead.
        if (!PostgresServer.Selected)
        {
            Assert.Equal(HttpStatusCode.NotFound, await NarInfoAsync(client, second));
        }
        var promised = PostgresServer.Selected ? TimeSpan.FromSeconds(1) : NarInfoCache.MissLifetime + TimeSpan.FromSeconds(1);
        Assert.Equal(HttpStatusCode.OK, await WaitForAsync(client, second, HttpStatusCode.OK, promised * 2));
        Assert.True(DateTime.UtcNow - started <= promised, $"seen after {DateTime.UtcNow - started}, promised {promised}");
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_cache_another_writer_makes_private_is_private_here_within_a_second(string writer)
    {
        using var root = _server.Client(_server.RootToken);
        var nar = TestNar.File("public", "bytes");
        (await AtticUploads.Upload(root, "shared", nar)).Dispose();
        var cacheId = _server.Scalar("SELECT id FROM cache WHERE name = 'shared'");
        var other = OtherProcess();
        async Task SetPublicAsync(bool isPublic)
        {
            if (writer == "atticd")
            {
                Assert.Equal(1, _server.Execute($"UPDATE cache SET is_public = {(isPublic ? "true" : "false")} WHERE id = {cacheId}"));
            }
            else
            {
                Assert.True(await other.UpdateCacheAsync(cacheId, new CacheUpdate(null, isPublic, null, null, null, null), CancellationToken.None));
            }
        }
        await SetPublicAsync(true);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.OK, await WaitForAsync(anonymous, nar, HttpStatusCode.OK)); // held as public from here on

        var started = DateTime.UtcNow;
        await SetPublicAsync(false);

        Assert.Equal(HttpStatusCode.Unauthorized, await WaitForAsync(anonymous, nar, HttpStatusCode.Unauthorized));
        Assert.True(DateTime.UtcNow - started <= TimeSpan.FromSeconds(1) + MetadataDatabase.ChangePollInterval,
            $"private after {DateTime.UtcNow - started}");
    }

    /// <summary>One path deleted is told as that path; a statement deleting more than a few dozen as "anything".</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task Paths_deleted_by_another_writer_are_gone_here_within_a_second(int count)
    {
        using var client = _server.Client(_server.RootToken);
        var stored = TestNar.File("deleted-later", "bytes of a path deleted behind the server's back");
        (await AtticUploads.Upload(client, "shared", stored)).Dispose();
        var cacheId = _server.Scalar("SELECT id FROM cache WHERE name = 'shared'");
        var narId = _server.Scalar($"SELECT nar_id FROM object WHERE store_path_hash = '{stored.Hash}'");
        var others = Enumerable.Range(0, count - 1).Select(i => TestNar.File($"deleted-{i}", "other")).ToList();
        others.ForEach(nar => InsertObjectAsAtticdWould(cacheId, narId, nar));
        Assert.Equal(HttpStatusCode.OK, await NarInfoAsync(client, stored)); // held from here on

        var started = DateTime.UtcNow;
        Assert.Equal(count, _server.Execute($"DELETE FROM object WHERE cache_id = {cacheId}"));

        Assert.Equal(HttpStatusCode.NotFound, await WaitForAsync(client, stored, HttpStatusCode.NotFound));
        Assert.True(DateTime.UtcNow - started <= TimeSpan.FromSeconds(1) + MetadataDatabase.ChangePollInterval,
            $"gone after {DateTime.UtcNow - started}");
    }
}
