using Vega.Lite.Config;

namespace Vega.Lite.Tests.Config;

public sealed class ConfigReaderTests
{
    private static readonly Func<string, string?> NoEnv = _ => null;

    private const string Minimal = """
        [database]
        url = "sqlite:///tmp/x.db"
        [storage]
        type = "local"
        path = "/tmp/storage"
        [jwt.signing]
        token-hs256-secret-base64 = "c2VjcmV0"
        """;

    [Fact]
    public void The_example_config_documents_every_key_and_parses()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "atticd.example.toml"));
        var config = ConfigReader.Read(text, "atticd.example.toml", NoEnv);
        Assert.Equal("[::]:8080", config.Listen);
        Assert.Empty(config.AllowedHosts);
        Assert.False(config.SoftDeleteCaches);
        Assert.True(config.RequireProofOfPossession);
        Assert.Equal(1048576, config.MaxNarInfoSize);
        Assert.Equal("sqlite:///var/lib/atticd/server.db?mode=rwc", config.Database.Url);
        Assert.Equal(new LocalStorageConfig("/var/lib/atticd/storage"), config.Storage);
        Assert.Equal(new ChunkingConfig(65536, 16384, 65536, 262144), config.Chunking);
        Assert.Equal(CompressionType.Zstd, config.Compression.Type);
        Assert.Equal(8, config.Compression.EffectiveLevel);
        Assert.Equal(TimeSpan.FromHours(12), config.GarbageCollection.Interval);
        Assert.Equal(TimeSpan.FromSeconds(6 * 2_630_016), config.GarbageCollection.DefaultRetentionPeriod);
        Assert.True(config.GarbageCollection.CheckBlobs);
        Assert.Equal("token-hs256-secret-base64", config.Jwt.Signing.SettingName);
        foreach (var key in new[] { "listen", "allowed-hosts", "api-endpoint", "substituter-endpoint", "soft-delete-caches",
                     "require-proof-of-possession", "max-nar-info-size", "[database]", "heartbeat", "[storage]", "region", "bucket",
                     "endpoint", "[storage.credentials]", "[chunking]", "nar-size-threshold", "min-size", "avg-size", "max-size",
                     "[compression]", "level", "[metrics]", "enabled", "token", "[garbage-collection]", "interval", "default-retention-period", "check-blobs", "[jwt]",
                     "token-bound-issuer", "token-bound-audiences", "[jwt.signing]", "token-rs256-secret-base64",
                     "token-rs256-pubkey-base64", "token-hs256-secret-base64" })
        {
            Assert.Contains(key, text);
        }
    }

    [Fact]
    public void Defaults_are_attics()
    {
        var config = ConfigReader.Read(Minimal, "server.toml", NoEnv);
        Assert.Equal("[::]:8080", config.Listen);
        Assert.Equal(CompressionType.Zstd, config.Compression.Type);
        Assert.Equal(TimeSpan.Zero, config.GarbageCollection.DefaultRetentionPeriod);
        Assert.Equal(TimeSpan.FromHours(12), config.GarbageCollection.Interval);
        Assert.True(config.GarbageCollection.CheckBlobs);
        Assert.Null(config.ApiEndpoint);
    }

    [Fact]
    public void Garbage_collection_can_leave_blob_checks_to_verify()
    {
        var config = ConfigReader.Read(Minimal + "\n[garbage-collection]\ncheck-blobs = false\n", "server.toml", NoEnv);
        Assert.False(config.GarbageCollection.CheckBlobs);
    }

    [Theory]
    [InlineData("bogus = 1\n", "server.toml:1: bogus: unknown key")]
    [InlineData("token-hs256-secret-base64 = \"x\"\n", "[jwt.signing]")]
    [InlineData("listen = 8080\n", "listen: must be a string")]
    [InlineData("soft-delete-caches = \"yes\"\n", "soft-delete-caches: must be true or false")]
    [InlineData("api-endpoint = \"not a url\"\n", "api-endpoint")]
    public void Bad_top_level_keys_and_values_name_the_key_the_line_and_the_file(string line, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigReader.Read(line + Minimal, "server.toml", NoEnv));
        Assert.Contains(expected, error.Message);
        Assert.Contains("server.toml", error.Message);
    }

    [Theory]
    [InlineData("[compression]\ntype = \"lz4\"\n", "compression.type")]
    [InlineData("[garbage-collection]\ninterval = \"twelve hours\"\n", "garbage-collection.interval")]
    [InlineData("[garbage-collection]\ncheck-blobs = \"yes\"\n", "garbage-collection.check-blobs: must be true or false")]
    [InlineData("[chunking]\nnar-size-threshold = 1\nmin-size = 9000\navg-size = 100\nmax-size = 5000\n", "chunking")]
    public void Bad_section_values_name_the_key(string section, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => ConfigReader.Read(Minimal + "\n" + section, "server.toml", NoEnv));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Environment_supplies_the_database_url_and_the_signing_key()
    {
        var env = new Dictionary<string, string>
        {
            ["ATTIC_SERVER_DATABASE_URL"] = "sqlite:///from/env.db",
            ["ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64"] = "ZW52",
            ["ATTIC_SERVER_TOKEN_RS256_SECRET_BASE64"] = "",
        };
        var config = ConfigReader.Read("[storage]\ntype = \"local\"\npath = \"/s\"\n", "server.toml", k => env.GetValueOrDefault(k));
        Assert.Equal("sqlite:///from/env.db", config.Database.Url);
        Assert.Equal(new JwtSigningConfig("token-hs256-secret-base64", "ZW52"), config.Jwt.Signing);
    }

    [Fact]
    public void Rs256_environment_keys_come_before_hs256()
    {
        var env = new Dictionary<string, string>
        {
            ["ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64"] = "aHM=",
            ["ATTIC_SERVER_TOKEN_RS256_PUBKEY_BASE64"] = "cHVi",
        };
        var config = ConfigReader.Read("[database]\nurl = \"sqlite://x\"\n[storage]\ntype = \"local\"\npath = \"/s\"\n", "s.toml", k => env.GetValueOrDefault(k));
        Assert.Equal("token-rs256-pubkey-base64", config.Jwt.Signing.SettingName);
    }

    [Fact]
    public void A_missing_key_is_an_error_that_says_how_to_make_one()
    {
        var error = Assert.Throws<ConfigException>(() =>
            ConfigReader.Read("[database]\nurl = \"sqlite://x\"\n[storage]\ntype = \"local\"\npath = \"/s\"\n", "s.toml", NoEnv));
        Assert.Contains("openssl genrsa", error.Message);
    }

    [Fact]
    public void The_whole_config_can_come_base64_encoded_from_the_environment()
    {
        var env = new Dictionary<string, string> { [ConfigLoader.Base64Variable] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Minimal)) };
        var config = ConfigLoader.Load(null, k => env.GetValueOrDefault(k));
        Assert.Equal(ConfigLoader.Base64Variable, config.Source);
        Assert.Equal("sqlite:///tmp/x.db", config.Database.Url);
    }

    [Theory]
    [InlineData("sqlite:///var/lib/atticd/server.db?mode=rwc", "/var/lib/atticd/server.db")]
    [InlineData("sqlite://relative.db", "relative.db")]
    [InlineData("sqlite://:memory:", ":memory:")]
    public void Sqlite_urls_in_attics_forms_are_understood(string url, string path) =>
        Assert.Equal(path, Vega.Lite.Metadata.SqliteDatabase.ParseSqliteUrl(url));

    [Theory]
    [InlineData("postgresql:///attic?host=/run/postgresql", "only sqlite")]
    [InlineData("sqlite://", "names no file")]
    public void Unsupported_database_urls_are_configuration_errors_not_crashes(string url, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Vega.Lite.Metadata.SqliteDatabase.ParseSqliteUrl(url));
        Assert.Contains(expected, error.Message);
    }
}
