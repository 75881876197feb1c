using System.Diagnostics;
using System.Net;
using Vega.Lite.E2E.Support;
using Vega.Lite.Tests.Support;
using Xunit.Abstractions;

namespace Vega.Lite.E2E;

/// <summary>
/// Several replicas of the published binary on one PostgreSQL database and one s3rver bucket (issue 15, item 3;
/// docs/attic-database.md §5): started at once on an empty database, Attic's integration sequence through nginx
/// round-robin, a push through one replica pulled through the others, a cache made private on one private on all
/// within a second, a replica killed mid-push whose blobs a survivor collects only once its heartbeat expired, and
/// sixteen pushers of one closure spread over the replicas storing each NAR once. Always on PostgreSQL (a replica
/// fleet needs it), so the class runs in the suite's PostgreSQL pass only (Trait Database=postgres).
/// </summary>
[Trait("Database", "postgres")]
public sealed class ReplicaTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Every NAR is chunked, in chunks of 16–256 KiB.</summary>
    private const string Chunking = "[chunking]\nnar-size-threshold = 1\nmin-size = 16384\navg-size = 65536\nmax-size = 262144";

    private const string AllFlags = "--push * --pull * --delete * --create-cache * --destroy-cache * --configure-cache * --configure-cache-retention *";

    /// <summary>What the replicas promise each other: a change through one is seen through all within this.</summary>
    private static readonly TimeSpan Coherence = TimeSpan.FromSeconds(1);

    private readonly NixEnvironment _nix = new();
    private readonly List<VegaLiteProcess> _replicas = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-e2e-replicas-" + Guid.NewGuid().ToString("N")[..8]);
    private S3rver _s3 = null!;
    private S3Bucket _bucket = null!;
    private NginxProcess? _nginx;
    private string _databaseUrl = null!;

    public async Task InitializeAsync()
    {
        _s3 = await S3rver.StartAsync();
        _bucket = new S3Bucket(_s3.Endpoint, S3rver.Bucket);
        _databaseUrl = await PostgresServer.NewSharedDatabaseAsync();
        VegaLiteProcess.WriteConfig(_directory, Chunking, _s3.StorageToml, _databaseUrl); // one server.toml for every replica
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        _bucket?.Dispose();
        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }
        _nix.Dispose();
    }

    /// <summary>Starts the replicas all at once on the one config (the first start on an empty database included).</summary>
    private async Task StartReplicasAsync(int count, int inOwnPidNamespace = -1)
    {
        var started = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            VegaLiteProcess.StartAsync(_directory, ownPidNamespace: i == inOwnPidNamespace)));
        _replicas.AddRange(started);
    }

    private async Task<string> StartProxyAsync()
    {
        var upstream = "log_format replica '$upstream_addr';\nupstream replicas {\n" +
            string.Join("\n", _replicas.Select(r => $"  server 127.0.0.1:{r.Port};")) + "\n}";
        _nginx = await NginxProcess.StartAsync(new NginxSite("front",
            $"include {NginxProcess.SharedProxyDirectives};\naccess_log {UpstreamLog} replica;\nproxy_pass http://replicas;", HttpLevel: upstream));
        return _nginx.Url("front");
    }

    /// <summary>Which replica nginx sent each request to.</summary>
    private string UpstreamLog => Path.Combine(_directory, "upstream.log");

    private string Logs() => string.Join("\n", _replicas.Select((r, i) => $"--- replica {i} (port {r.Port})\n{r.Log}"));

    private async Task<List<string>> QueryAsync(string sql) => await (await PostgresServer.SharedAsync()).QueryAsync(_databaseUrl, sql);

    private static string Hash(string storePath) => Path.GetFileName(storePath)[..32];

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>Asks each client until it answers <paramref name="expected"/>; the time until all did.</summary>
    private static async Task<TimeSpan> TimeUntilAllAsync(IEnumerable<HttpClient> clients, string path, HttpStatusCode expected)
    {
        var clock = Stopwatch.StartNew();
        foreach (var client in clients)
        {
            HttpStatusCode status;
            while ((status = await StatusAsync(client, path)) != expected && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }
            Assert.True(status == expected, $"GET {client.BaseAddress}{path}: {(int)status}, not {(int)expected}, after {clock.Elapsed}");
        }
        return clock.Elapsed;
    }

    private HttpClient Anonymous(VegaLiteProcess replica) => new() { BaseAddress = new Uri(replica.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };

    [NixFact]
    public async Task Three_replicas_started_at_once_pass_Attics_integration_sequence_through_nginx_round_robin()
    {
        await StartReplicasAsync(3);
        // The three starts on an empty database took turns: one made Attic's schema, none twice.
        Assert.Equal(["15"], await QueryAsync("SELECT COUNT(*) FROM seaql_migrations"));
        Assert.Equal(["0"], await QueryAsync("SELECT COUNT(*) - COUNT(DISTINCT name) FROM vega_migrations"));
        var front = await StartProxyAsync();

        await AtticIntegrationTests.RunBasicSequenceAsync(new AtticIntegrationTests.SequenceTarget(
            front, _replicas[0], Logs, async () => await _bucket.ListKeysAsync(), Coherence));

        // Round robin really spread the sequence: every replica answered a share of it.
        var byReplica = File.ReadAllLines(UpstreamLog).GroupBy(line => line).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", byReplica.Select(r => $"{r.Key}: {r.Value} requests")));
        Assert.All(_replicas, replica => Assert.True(byReplica.GetValueOrDefault($"127.0.0.1:{replica.Port}") >= 10,
            $"replica at {replica.Port} answered too little of the sequence"));
    }

    [NixFact]
    public async Task A_push_through_one_replica_pulls_through_the_others_and_private_on_one_is_private_on_all_within_a_second()
    {
        await StartReplicasAsync(3);
        var closure = await TestClosure.BuildAsync(_nix, payloadBytes: 1024 * 1024);
        var token = await _replicas[0].MakeTokenAsync(AllFlags.Split(' '));
        using var through0 = new AtticClient(_nix, _replicas[0].BaseUrl, token);
        Assert.Equal("", await through0.CreateCacheAsync("fleet", isPublic: true));
        using var at1 = Anonymous(_replicas[1]);
        using var at2 = Anonymous(_replicas[2]);
        var narinfo = $"fleet/{Hash(closure.Top)}.narinfo";
        // Replicas 1 and 2 answer 404 and hold the miss.
        output.WriteLine($"created, 404 on both after {await TimeUntilAllAsync([at1, at2], narinfo, HttpStatusCode.NotFound)}");

        var push = await _replicas[0].LoggedAsync(() => through0.PushAsync("fleet", closure.Paths));
        Assert.Equal(closure.Paths.Count, push.Uploads.Count);
        var seen = await TimeUntilAllAsync([at1, at2], narinfo, HttpStatusCode.OK);
        output.WriteLine($"pushed through replica 0: served by 1 and 2 after {seen}");
        Assert.True(seen <= Coherence, $"the pushed path was served by the other replicas only after {seen}");

        var use = await through0.UseAsync("fleet");
        foreach (var replica in _replicas.Skip(1))
        {
            var store = Path.Combine(_nix.Directory, $"pulled-{replica.Port}");
            var pull = await _nix.RunAsync("nix", ["copy", "--from", $"{replica.BaseUrl}/fleet", "--to", store, closure.Top],
                "require-sigs = true", $"trusted-public-keys = {use.PublicKey}");
            Assert.True(pull.ExitCode == 0, pull.Describe($"nix copy --from replica at {replica.Port}") + "\n" + Logs());
            foreach (var path in closure.Paths)
            {
                Assert.Equal(Nars.Dump(path), Nars.Dump(store + path));
            }
        }

        Assert.Equal("", await through0.ConfigureCacheAsync("fleet", isPublic: false));
        var hidden = await TimeUntilAllAsync([at1, at2], narinfo, HttpStatusCode.Unauthorized);
        output.WriteLine($"made private through replica 0: 401 on 1 and 2 after {hidden}");
        Assert.True(hidden <= Coherence, $"the cache was still public on another replica {hidden} after it was made private");
    }

    [NixFact]
    public async Task A_token_revoked_once_is_refused_by_every_replica_within_a_second()
    {
        await StartReplicasAsync(3);
        var root = await _replicas[0].MakeTokenAsync(AllFlags.Split(' '));
        using (var creator = new AtticClient(_nix, _replicas[0].BaseUrl, root))
        {
            Assert.Equal("", await creator.CreateCacheAsync("guarded", isPublic: false));
        }
        var token = await _replicas[0].MakeTokenAsync("--pull", "guarded");
        var clients = _replicas.Select(r => CacheApi.Client(r.BaseUrl, token)).ToList();
        try
        {
            output.WriteLine($"the token reads on all three after {await TimeUntilAllAsync(clients, "guarded/nix-cache-info", HttpStatusCode.OK)}");

            output.WriteLine(await _replicas[1].RevokeTokenAsync(token));
            var refused = await TimeUntilAllAsync(clients, "guarded/nix-cache-info", HttpStatusCode.Unauthorized);
            output.WriteLine($"revoked through replica 1's config: 401 on all three after {refused}");
            Assert.True(refused <= Coherence, $"the revoked token was still accepted by a replica {refused} after");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [NixFact]
    public async Task A_replica_killed_mid_push_leaves_the_others_serving_and_its_blobs_are_collected_only_after_its_heartbeat_expired()
    {
        await StartReplicasAsync(3, inOwnPidNamespace: 2); // replica 2 as in a container of its own
        var closure = await TestClosure.BuildAsync(_nix, payloadBytes: 48 * 1024 * 1024);
        var big = closure.Paths.Single(p => p.Contains("-vega-tree-"));
        var token = await _replicas[0].MakeTokenAsync(AllFlags.Split(' '));
        using var through0 = new AtticClient(_nix, _replicas[0].BaseUrl, token);
        Assert.Equal("", await through0.CreateCacheAsync("crash"));
        var before = (await _bucket.ListKeysAsync()).Length;

        Stopwatch sinceKill;
        using (var through2 = new AtticClient(_nix, _replicas[2].BaseUrl, token))
        {
            var push = through2.PushAsync("crash", [big], noClosure: true);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while ((await _bucket.ListKeysAsync()).Length < before + 20 && !push.IsCompleted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            Assert.False(push.IsCompleted, "the push ended before replica 2 could be killed in the middle of it");
            await _replicas[2].KillAsync();
            sinceKill = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<Exception>(() => push);
        }
        var orphans = await _bucket.ListKeysAsync();
        output.WriteLine($"replica 2 killed with {orphans.Length} objects in the bucket");
        Assert.True(orphans.Length >= 20, $"expected the killed upload's objects in the bucket, found {orphans.Length}");

        // The others keep serving, and nothing of the killed push is visible through them.
        foreach (var replica in _replicas.Take(2))
        {
            using var http = CacheApi.Client(replica.BaseUrl, token);
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, $"crash/{Hash(big)}.narinfo"));
        }
        Assert.Equal([Hash(big)], await through0.GetMissingPathsAsync("crash", [Hash(big)]));

        // A pass now (its own process, which cannot see replica 2's PID) counts the lease alive by its heartbeat.
        var early = await _replicas[0].CollectGarbageAsync();
        output.WriteLine($"at {sinceKill.Elapsed}: {early}");
        Assert.Contains("0 abandoned uploads removed", early);
        Assert.Equal(orphans.Length, (await _bucket.ListKeysAsync()).Length);

        // Once the heartbeat is a minute old the lease is dead: a pass removes every object it wrote.
        string late;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            late = await _replicas[1].CollectGarbageAsync();
        }
        while (!late.Contains("1 abandoned uploads removed") && sinceKill.Elapsed < TimeSpan.FromSeconds(150));
        output.WriteLine($"at {sinceKill.Elapsed}: {late}");
        Assert.Contains("1 abandoned uploads removed", late);
        // The last beat was at most one interval (10 s) before the kill, and it expires 60 s after that beat.
        Assert.True(sinceKill.Elapsed >= TimeSpan.FromSeconds(50), $"the dead replica's upload was collected {sinceKill.Elapsed} after the kill");
        Assert.Equal(before, (await _bucket.ListKeysAsync()).Length);

        var repush = await _replicas[1].LoggedAsync(() => through0.PushAsync("crash", closure.Paths));
        Assert.Equal(closure.Paths.Count, repush.Uploads.Count);
        var store = Path.Combine(_nix.Directory, "pulled");
        var pull = await _nix.RunAsync("nix", ["copy", "--from", $"{_replicas[1].BaseUrl}/crash", "--to", store, closure.Top],
            "require-sigs = true", $"trusted-public-keys = {(await through0.UseAsync("crash")).PublicKey}");
        Assert.True(pull.ExitCode == 0, pull.Describe("nix copy --from replica 1") + "\n" + Logs());
    }

    [NixFact]
    public async Task Sixteen_pushers_of_one_closure_spread_over_the_replicas_store_each_NAR_once()
    {
        await StartReplicasAsync(3);
        var closure = await TestClosure.BuildAsync(_nix, payloadBytes: 2 * 1024 * 1024);
        var token = await _replicas[0].MakeTokenAsync(AllFlags.Split(' '));
        using (var creator = new AtticClient(_nix, _replicas[0].BaseUrl, token))
        {
            Assert.Equal("", await creator.CreateCacheAsync("busy"));
        }

        var clients = Enumerable.Range(0, 16).Select(i => new AtticClient(_nix, _replicas[i % 3].BaseUrl, token)).ToList();
        try
        {
            var pushes = await Task.WhenAll(clients.Select(client => client.PushAsync("busy", closure.Paths)));
            var kinds = pushes.SelectMany(p => p.Uploads.Values).GroupBy(u => u.Kind).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine(string.Join(", ", kinds.Select(k => $"{k.Value} {k.Key}")));
        }
        catch (AtticApiException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{Logs()}", e);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.Equal([closure.Paths.Count.ToString()], await QueryAsync("SELECT COUNT(*) FROM nar"));
        Assert.Equal([closure.Paths.Count.ToString()], await QueryAsync("SELECT COUNT(*) FROM object"));
        Assert.Equal(["0"], await QueryAsync("SELECT COUNT(*) - COUNT(DISTINCT (chunk_hash, compression)) FROM chunk"));
        // The losers' blobs went with their uploads: the bucket holds exactly the chunks recorded.
        var chunks = int.Parse((await QueryAsync("SELECT COUNT(*) FROM chunk"))[0]);
        Assert.Equal(chunks, (await _bucket.ListKeysAsync()).Length);
    }
}
