using Vega.Lite.Cli;
using Vega.Lite.Config;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Cli;

/// <summary><c>ensure-cache</c> against a real SQLite database, as the NixOS module runs it before each start.</summary>
public sealed class EnsureCacheCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-ensure-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _configPath;

    public EnsureCacheCommandTests()
    {
        Directory.CreateDirectory(_directory);
        _configPath = Path.Combine(_directory, "server.toml");
        File.WriteAllText(_configPath, $"""
            [database]
            url = "sqlite://{_directory}/server.db"
            [storage]
            type = "local"
            path = "{_directory}/storage"
            [jwt.signing]
            token-hs256-secret-base64 = "c2VjcmV0LWtleQ=="
            """);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        Assert.Equal(0, await EnsureCacheCommand.RunAsync(_configPath, args, _ => null, output));
        return output.ToString();
    }

    private Task<CacheRecord?> ReadAsync(string name) =>
        new MetadataStore(new SqliteDatabase($"sqlite://{_directory}/server.db"), RemoteFiles.Local, TimeProvider.System).GetCacheAsync(name, CancellationToken.None);

    [Fact]
    public async Task Creates_a_cache_like_attic_cache_create_then_applies_the_flags()
    {
        var printed = await RunAsync("team", "--public", "--retention-period", "86400", "--priority", "30");
        Assert.StartsWith("Created cache \"team\"", printed);
        var cache = await ReadAsync("team");
        Assert.NotNull(cache);
        Assert.True(cache.IsPublic);
        Assert.Equal(86400, cache.RetentionPeriod);
        Assert.Equal(30, cache.Priority);
        Assert.Equal("/nix/store", cache.StoreDir);
        Assert.Equal(["cache.nixos.org-1"], cache.UpstreamCacheKeyNames);
        Assert.Contains(cache.Keypair.PublicKey.ToString(), printed);
        Assert.StartsWith("team:", cache.Keypair.PublicKey.ToString());
    }

    [Fact]
    public async Task Running_again_keeps_the_key_and_changes_only_the_flags_given()
    {
        await RunAsync("team", "--public", "--retention-period", "86400");
        var before = await ReadAsync("team");
        var printed = await RunAsync("team", "--private", "--retention-period", "global");
        Assert.StartsWith("Configured cache \"team\"", printed);
        var after = await ReadAsync("team");
        Assert.Equal(before!.Keypair.PublicKey.ToString(), after!.Keypair.PublicKey.ToString());
        Assert.False(after.IsPublic);
        Assert.Null(after.RetentionPeriod);
        Assert.Equal(before.Priority, after.Priority);

        await RunAsync("team", "--no-upstream-cache-key-names", "--upstream-cache-key-name=mine-1");
        Assert.Equal(["mine-1"], (await ReadAsync("team"))!.UpstreamCacheKeyNames);
    }

    [Fact]
    public async Task A_soft_deleted_name_is_refused_with_a_message()
    {
        await RunAsync("gone");
        var metadata = new MetadataStore(new SqliteDatabase($"sqlite://{_directory}/server.db"), RemoteFiles.Local, TimeProvider.System);
        Assert.True(await metadata.DeleteCacheAsync((await ReadAsync("gone"))!.Id, soft: true, CancellationToken.None));
        var error = await Assert.ThrowsAsync<ConfigException>(() => RunAsync("gone", "--public"));
        Assert.Contains("soft-deleted", error.Message);
    }

    [Theory]
    [InlineData(new string[0], "needs a cache name")]
    [InlineData(new[] { "bad/name" }, "not a valid cache name")]
    [InlineData(new[] { "a", "b" }, "unexpected argument \"b\"")]
    [InlineData(new[] { "a", "--retention-period", "1 month" }, "whole seconds")]
    [InlineData(new[] { "a", "--retention-period", "-1" }, "whole seconds")]
    [InlineData(new[] { "a", "--priority", "x" }, "not a non-negative integer")]
    [InlineData(new[] { "a", "--hidden" }, "unknown flag")]
    [InlineData(new[] { "a", "--priority" }, "needs a value")]
    public void Bad_arguments_are_usage_errors(string[] args, string message) =>
        Assert.Contains(message, Assert.Throws<UsageException>(() => EnsureCacheCommand.Parse(args)).Message);

    [Fact]
    public void The_command_line_routes_ensure_cache_with_its_arguments()
    {
        var parsed = CommandLine.Parse(["-f", "x.toml", "ensure-cache", "c", "--public"], asAtticadm: false);
        Assert.Equal("x.toml", parsed.ConfigPath);
        Assert.Equal(["c", "--public"], parsed.EnsureCacheArgs);
    }
}
