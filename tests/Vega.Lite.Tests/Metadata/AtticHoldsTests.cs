using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vega.Lite.Gc;
using Vega.Lite.Metadata;
using Vega.Lite.Metadata.Postgres;

namespace Vega.Lite.Tests.Metadata;

/// <summary>
/// Attic's holds (<c>holders_count</c>, docs/attic-database.md §5.3) between Vega.Lite and an atticd on one database:
/// Vega.Lite's collector leaves what atticd holds, Vega.Lite's uploads hold what they reuse and give it back, and on
/// PostgreSQL atticd's own collector, racing such an upload, cannot delete what it just recorded.
/// </summary>
public sealed class AtticHoldsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(TestServer.SmallChunks);
        await _server.CreateCacheAsync("held");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<GcReport> CollectAsync() => _server.Services.GetRequiredService<GarbageCollector>().RunOnceAsync(CancellationToken.None);

    private long Holds() => _server.Scalar("SELECT COALESCE(SUM(holders_count), 0) FROM nar") +
        _server.Scalar("SELECT COALESCE(SUM(holders_count), 0) FROM chunk");

    private static async Task PushAsync(HttpClient client, TestNar nar)
    {
        using var response = await AtticUploads.Upload(client, "held", nar);
        await AtticUploads.ReadResult(response);
    }

    [Fact]
    public async Task Uploads_that_reuse_a_NAR_or_chunks_give_their_holds_back()
    {
        using var client = _server.Client(_server.RootToken);
        var shared = TestNar.RandomBytes(600_000, 41);
        await PushAsync(client, TestNar.File("first", shared));
        await PushAsync(client, TestNar.File("same-nar", shared)); // the whole NAR again: another path on it
        await PushAsync(client, TestNar.File("more", [.. shared, .. TestNar.RandomBytes(300_000, 42)])); // its chunks again
        await NixUploads.Upload(client, "held", TestNar.File("by-nix", shared), "none");

        Assert.Equal(3, _server.Scalar("SELECT COUNT(*) FROM object WHERE nar_id = (SELECT MIN(id) FROM nar)"));
        Assert.True(_server.Scalar("SELECT COUNT(*) FROM chunk") < _server.Scalar("SELECT COUNT(*) FROM chunkref"), "no chunk was reused");
        Assert.Equal(0, Holds());
    }

    [Fact]
    public async Task The_collector_leaves_a_NAR_atticd_holds_until_the_hold_is_given_back()
    {
        using var client = _server.Client(_server.RootToken);
        var nar = TestNar.File("orphan", TestNar.RandomBytes(300_000, 43));
        await PushAsync(client, nar);
        using (var delete = await client.DeleteAsync($"/held/{nar.Hash}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }
        var chunks = _server.Scalar("SELECT COUNT(*) FROM chunk");
        Assert.Equal(1, _server.Execute("UPDATE nar SET holders_count = 1")); // an atticd upload about to reuse it

        var held = await CollectAsync();
        Assert.Equal((0, 0), (held.Nars, held.Chunks));
        Assert.Equal(chunks, _server.Scalar("SELECT COUNT(*) FROM chunk WHERE state = 'V'"));

        Assert.Equal(1, _server.Execute("UPDATE nar SET holders_count = 0"));
        var collected = await CollectAsync();
        Assert.Equal(1, collected.Nars);
        Assert.Equal(chunks, collected.Chunks);
    }

    /// <summary>
    /// The race of docs/attic-database.md §5.2(b) with atticd's collector, which takes none of Vega.Lite's locks: its
    /// orphan-NAR statement waits on a NAR row an upload is pointing a new path at. Without a hold it deletes the row
    /// after the upload commits (PostgreSQL does not re-check an unchanged row) and the new path with it. A lock held
    /// by a third session lines them up: the upload queues first, atticd's statement behind it.
    /// </summary>
    [Fact]
    [Trait("Database", "postgres")]
    public async Task On_PostgreSQL_atticds_collector_racing_an_upload_keeps_the_path_it_records()
    {
        using var client = _server.Client(_server.RootToken);
        var first = TestNar.File("first", "bytes both paths share");
        await PushAsync(client, first);
        using (var delete = await client.DeleteAsync($"/held/{first.Hash}.narinfo"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }
        var narId = _server.Scalar("SELECT id FROM nar");
        var cacheId = _server.Scalar("SELECT id FROM cache WHERE name = 'held'");
        var second = TestNar.File("second", "bytes both paths share");
        var connectionString = PostgresUrl.ToConnectionString(_server.DatabaseUrl) + ";Pooling=false";

        await using var blocker = new NpgsqlConnection(connectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT id FROM nar WHERE id = {narId} FOR UPDATE", blocker, transaction))
        {
            await lockRow.ExecuteNonQueryAsync();
        }
        // Watched from a session of its own: inside a transaction pg_stat_activity stays as it was first read.
        await using var monitor = new NpgsqlConnection(connectionString);
        await monitor.OpenAsync();
        var metadata = _server.Services.GetRequiredService<MetadataStore>();
        var upload = metadata.UpsertObjectForCompleteNarAsync(cacheId, narId,
            new ObjectMetadata(second.Hash, second.StorePath, [], null, [], null, "racer"), CancellationToken.None);
        await WaitForLockWaitersAsync(monitor, 1, upload);
        await using var collector = new NpgsqlConnection(connectionString);
        await collector.OpenAsync();
        await using var atticdDelete = new NpgsqlCommand(
            "DELETE FROM nar WHERE state = 'V' AND holders_count = 0 AND NOT EXISTS (SELECT 1 FROM object o WHERE o.nar_id = nar.id)", collector);
        var atticdCollector = atticdDelete.ExecuteNonQueryAsync();
        await WaitForLockWaitersAsync(monitor, 2, atticdCollector);
        await transaction.CommitAsync();

        Assert.True(await upload);
        Assert.Equal(0, await atticdCollector);
        Assert.Equal(1, _server.Scalar($"SELECT COUNT(*) FROM object WHERE store_path_hash = '{second.Hash}' AND nar_id = {narId}"));
        Assert.Equal(0, Holds());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/held/{second.Hash}.narinfo")).StatusCode);
    }

    /// <summary>
    /// A hold that PostgreSQL ends to break a deadlock (here with a session locking the same chunks in the other
    /// order, as a collection statement scanning the table might) fails the upload as a collected chunk does (a 503 to
    /// the client, who retries), holding nothing and recording nothing.
    /// </summary>
    [Fact]
    [Trait("Database", "postgres")]
    public async Task On_PostgreSQL_a_hold_that_loses_a_deadlock_records_nothing_and_is_retried_as_collected()
    {
        using var client = _server.Client(_server.RootToken);
        await PushAsync(client, TestNar.File("chunked", TestNar.RandomBytes(600_000, 44)));
        var (first, last) = (_server.Scalar("SELECT MIN(id) FROM chunk"), _server.Scalar("SELECT MAX(id) FROM chunk"));
        Assert.NotEqual(first, last);
        var cacheId = _server.Scalar("SELECT id FROM cache WHERE name = 'held'");
        var path = TestNar.File("reuser", "a path whose NAR reuses two stored chunks");
        var connectionString = PostgresUrl.ToConnectionString(_server.DatabaseUrl) + ";Pooling=false";
        await using var monitor = new NpgsqlConnection(connectionString);
        await monitor.OpenAsync();
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var lockLast = new NpgsqlCommand($"SELECT id FROM chunk WHERE id = {last} FOR UPDATE", other, transaction))
        {
            await lockLast.ExecuteNonQueryAsync();
        }

        var metadata = _server.Services.GetRequiredService<MetadataStore>();
        var upload = metadata.RecordUploadedPathAsync(cacheId,
            new NarToRecord("sha256:" + new string('e', 64), 1000, "zstd", [new PlannedChunk(first, null), new PlannedChunk(last, null)], null),
            new ObjectMetadata(path.Hash, path.StorePath, [], null, [], null, "racer"), CancellationToken.None);
        await WaitForLockWaitersAsync(monitor, 1, upload); // it holds the first chunk and waits for the last
        await using var lockFirst = new NpgsqlCommand($"SELECT id FROM chunk WHERE id = {first} FOR UPDATE", other, transaction);
        var otherGetsFirst = lockFirst.ExecuteNonQueryAsync(); // the cycle: PostgreSQL ends the session that waited first

        await Assert.ThrowsAsync<ChunkCollectedException>(() => upload);
        await otherGetsFirst;
        await transaction.CommitAsync();
        Assert.Equal(0, Holds());
        Assert.Equal(0, _server.Scalar($"SELECT COUNT(*) FROM object WHERE store_path_hash = '{path.Hash}'"));
    }

    private static async Task WaitForLockWaitersAsync(NpgsqlConnection connection, int count, Task waiter)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
            if ((long)(await command.ExecuteScalarAsync())! >= count)
            {
                return;
            }
            if (waiter.IsCompleted || DateTime.UtcNow >= deadline)
            {
                await using var activity = new NpgsqlCommand(
                    "SELECT string_agg(state || ' ' || COALESCE(wait_event_type, '-') || ' ' || COALESCE(wait_event, '-') || ' ' || left(query, 60), E'\n') FROM pg_stat_activity WHERE datname = current_database()", connection);
                Assert.Fail($"fewer than {count} sessions waited on the row lock ({waiter.Exception?.InnerException?.Message}):\n{await activity.ExecuteScalarAsync()}");
            }
            await Task.Delay(20);
        }
    }
}
