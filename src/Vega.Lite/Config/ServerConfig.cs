namespace Vega.Lite.Config;

/// <summary>The server configuration, with Attic's keys and defaults (docs/attic-api.md §8.2).</summary>
internal sealed record ServerConfig
{
    public required string Listen { get; init; }
    public required IReadOnlyList<string> AllowedHosts { get; init; }
    public string? ApiEndpoint { get; init; }
    public string? SubstituterEndpoint { get; init; }
    public bool SoftDeleteCaches { get; init; }
    public bool RequireProofOfPossession { get; init; } = ConfigDefaults.RequireProofOfPossession;
    public long MaxNarInfoSize { get; init; } = ConfigDefaults.MaxNarInfoSize;
    public required DatabaseConfig Database { get; init; }
    public required StorageConfig Storage { get; init; }
    public required ChunkingConfig Chunking { get; init; }
    public required CompressionConfig Compression { get; init; }
    public required GarbageCollectionConfig GarbageCollection { get; init; }
    public required JwtConfig Jwt { get; init; }
    public UploadConfig Upload { get; init; } = ConfigDefaults.Upload;
    public MetricsConfig Metrics { get; init; } = ConfigDefaults.Metrics;

    /// <summary>Where the config came from, for messages: a path, or the environment variable's name.</summary>
    public required string Source { get; init; }
}

internal sealed record DatabaseConfig(string Url, bool Heartbeat);

internal abstract record StorageConfig;

internal sealed record LocalStorageConfig(string Path) : StorageConfig;

internal sealed record S3StorageConfig(string Region, string Bucket, string? Endpoint, string? AccessKeyId, string? SecretAccessKey)
    : StorageConfig;

/// <summary>Attic's FastCDC parameters; threshold 0 turns chunking off, 1 chunks every NAR.</summary>
internal sealed record ChunkingConfig(long NarSizeThreshold, int MinSize, int AvgSize, int MaxSize);

internal enum CompressionType { None, Zstd, Xz, Brotli }

internal sealed record CompressionConfig(CompressionType Type, int? Level)
{
    /// <summary>The name narinfo's <c>Compression:</c> field uses for this type.</summary>
    public string NarInfoName => Type switch
    {
        CompressionType.None => "none",
        CompressionType.Zstd => "zstd",
        CompressionType.Xz => "xz",
        _ => "br",
    };

    /// <summary>The level set, or the type's default (<see cref="ConfigDefaults.CompressionLevel"/>).</summary>
    public int EffectiveLevel => Level ?? ConfigDefaults.CompressionLevel(Type);
}

/// <param name="CheckBlobs">Vega's <c>check-blobs</c>: each pass also checks that every chunk's blob exists (a request per
/// chunk on S3) and records the lost ones, as <c>vega-lite verify</c> does without <c>--check-hashes</c>.</param>
internal sealed record GarbageCollectionConfig(TimeSpan Interval, TimeSpan DefaultRetentionPeriod, bool CheckBlobs = true);

/// <summary>
/// Vega's <c>[upload]</c> section (Attic has none): a request body that sends no byte for <see cref="IdleTimeout"/>
/// while the server waits for it, or fewer than <see cref="MinBytesPerSecond"/> on average over such a period, has its
/// connection closed. A zero idle timeout turns both checks off; a zero rate only the second.
/// </summary>
internal sealed record UploadConfig(TimeSpan IdleTimeout, long MinBytesPerSecond);

/// <summary>
/// Vega's <c>[metrics]</c> section (Attic has none): whether <c>GET /metrics</c> answers, and the bearer token it then
/// asks for (none: anyone may scrape, as harmonia's and ncps's metrics are).
/// </summary>
internal sealed record MetricsConfig(bool Enabled, string? Token);

internal sealed record JwtConfig(string? BoundIssuer, IReadOnlyList<string>? BoundAudiences, JwtSigningConfig Signing);

/// <summary>Exactly one of Attic's three key settings, by its TOML key name, with its base64 value.</summary>
internal sealed record JwtSigningConfig(string SettingName, string Base64Value);
