using Vega.Lite.Api;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Api;

/// <summary>
/// narinfo held in memory follows changes another process commits (a garbage collector or verify on its own): the
/// invalidation counter moves in their transaction and the server's poll drops what it holds (issue 15, item 3).
/// </summary>
public sealed class NarInfoCoherenceTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("shared");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A metadata store of its own on the server's database, as another process has: its events reach no one here.</summary>
    private MetadataStore OtherProcess() =>
        new(_server.Database, RemoteFiles.Local, TimeProvider.System);

    private static async Task<HttpStatusCode> NarInfoAsync(HttpClient client, TestNar nar)
    {
        using var response = await client.GetAsync($"/shared/{nar.Hash}.narinfo");
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> WaitForAsync(HttpClient client, TestNar nar, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + NarInfoCoherence.Interval * 5;
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
}
