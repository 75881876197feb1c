namespace Vega.Lite.Config;

/// <summary>
/// Every default of <c>server.toml</c> in one place: what the reader takes for an absent key and what the first start
/// writes. Attic's values (docs/attic-api.md §8.2) unless said otherwise.
/// </summary>
internal static class ConfigDefaults
{
    public const string Listen = "[::]:8080";
    public const bool SoftDeleteCaches = false;
    public const bool RequireProofOfPossession = true;
    public const long MaxNarInfoSize = 1_048_576;
    public const bool DatabaseHeartbeat = false;

    /// <summary>Attic's template values; Attic requires the section, we take these when it is absent.</summary>
    public static readonly ChunkingConfig Chunking = new(NarSizeThreshold: 65536, MinSize: 16384, AvgSize: 65536, MaxSize: 262144);

    public static readonly CompressionConfig Compression = new(CompressionType.Zstd, Level: null);

    /// <summary>Attic's compression levels when <c>level</c> is not set.</summary>
    public static int CompressionLevel(CompressionType type) => type switch
    {
        CompressionType.Zstd => 8,
        CompressionType.Xz => 2,
        CompressionType.Brotli => 5,
        _ => 0,
    };

    public static readonly TimeSpan GarbageCollectionInterval = TimeSpan.FromHours(12);

    /// <summary>Vega's <c>[garbage-collection] check-blobs</c>: a pass finds lost blobs, as issue 14 asks.</summary>
    public const bool GarbageCollectionChecksBlobs = true;

    /// <summary>Vega's own <c>[upload]</c>: a body idle for a minute, or slower than 1 KiB/s, is cut.</summary>
    public static readonly UploadConfig Upload = new(IdleTimeout: TimeSpan.FromMinutes(1), MinBytesPerSecond: 1024);

    /// <summary><c>GET /metrics</c> answers anyone unless <c>[metrics] token</c> is set or <c>enabled = false</c>.</summary>
    public static readonly MetricsConfig Metrics = new(Enabled: true, Token: null);

    /// <summary>0 keeps paths for ever.</summary>
    public static readonly TimeSpan DefaultRetentionPeriod = TimeSpan.Zero;
}
