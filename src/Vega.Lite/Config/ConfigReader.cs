using Vega.Lite.Core.Time;

namespace Vega.Lite.Config;

/// <summary>
/// Turns a parsed <c>server.toml</c> into <see cref="ServerConfig"/>, with Attic's keys, defaults and environment
/// fallbacks. Unknown top-level keys and bad values are errors that name the key, the line and the source.
/// </summary>
internal sealed class ConfigReader
{
    private static readonly HashSet<string> TopLevelKeys =
    [
        "listen", "allowed-hosts", "api-endpoint", "substituter-endpoint", "soft-delete-caches",
        "require-proof-of-possession", "max-nar-info-size", "database", "storage", "chunking", "compression",
        "garbage-collection", "jwt", "upload", "metrics",
    ];

    private static readonly string[] SigningKeys =
        ["token-rs256-pubkey-base64", "token-rs256-secret-base64", "token-hs256-secret-base64"];

    private readonly string _source;
    private readonly Func<string, string?> _env;

    private ConfigReader(string source, Func<string, string?> env)
    {
        _source = source;
        _env = env;
    }

    public static ServerConfig Read(string tomlText, string source, Func<string, string?> env)
    {
        var root = TomlDocumentReader.Read(tomlText, source);
        return new ConfigReader(source, env).ReadRoot(root);
    }

    private ServerConfig ReadRoot(ConfigTable root)
    {
        foreach (var key in root.Keys)
        {
            if (key == "token-hs256-secret-base64")
            {
                throw Error(key, root[key].Line, "the top-level key is no longer supported: move it to the [jwt.signing] section");
            }
            if (!TopLevelKeys.Contains(key))
            {
                throw Error(key, root[key].Line, "unknown key");
            }
        }

        return new ServerConfig
        {
            Source = _source,
            Listen = OptionalString(root, "listen", "") ?? ConfigDefaults.Listen,
            AllowedHosts = OptionalStringArray(root, "allowed-hosts", "") ?? [],
            ApiEndpoint = OptionalEndpoint(root, "api-endpoint"),
            SubstituterEndpoint = OptionalEndpoint(root, "substituter-endpoint"),
            SoftDeleteCaches = OptionalBool(root, "soft-delete-caches", "") ?? ConfigDefaults.SoftDeleteCaches,
            RequireProofOfPossession = OptionalBool(root, "require-proof-of-possession", "") ?? ConfigDefaults.RequireProofOfPossession,
            MaxNarInfoSize = OptionalInteger(root, "max-nar-info-size", "", min: 1) ?? ConfigDefaults.MaxNarInfoSize,
            Database = ReadDatabase(OptionalTable(root, "database", "")),
            Storage = ReadStorage(OptionalTable(root, "storage", "")),
            Chunking = ReadChunking(OptionalTable(root, "chunking", "")),
            Compression = ReadCompression(OptionalTable(root, "compression", "")),
            GarbageCollection = ReadGarbageCollection(OptionalTable(root, "garbage-collection", "")),
            Jwt = ReadJwt(OptionalTable(root, "jwt", "")),
            Upload = ReadUpload(OptionalTable(root, "upload", "")),
            Metrics = ReadMetrics(OptionalTable(root, "metrics", "")),
        };
    }

    private DatabaseConfig ReadDatabase(ConfigTable? table)
    {
        var url = table is null ? null : OptionalString(table, "url", "database.");
        url ??= NonEmptyEnv("ATTIC_SERVER_DATABASE_URL");
        if (url is null)
        {
            throw new ConfigException(
                $"{_source}: database.url is not set: set it in the [database] section or in ATTIC_SERVER_DATABASE_URL");
        }
        var heartbeat = table is null ? null : OptionalBool(table, "heartbeat", "database.");
        return new DatabaseConfig(url, heartbeat ?? ConfigDefaults.DatabaseHeartbeat);
    }

    private StorageConfig ReadStorage(ConfigTable? table)
    {
        if (table is null)
        {
            throw new ConfigException($"{_source}: the [storage] section is required (type = \"local\" or \"s3\")");
        }
        var type = RequiredString(table, "type", "storage.");
        switch (type)
        {
            case "local":
                return new LocalStorageConfig(RequiredString(table, "path", "storage."));
            case "s3":
                var credentials = OptionalTable(table, "credentials", "storage.");
                return new S3StorageConfig(
                    RequiredString(table, "region", "storage."),
                    RequiredString(table, "bucket", "storage."),
                    OptionalString(table, "endpoint", "storage."),
                    // Attic's S3CredentialsConfig: when the section is there, both keys are.
                    credentials is null ? null : RequiredString(credentials, "access_key_id", "storage.credentials."),
                    credentials is null ? null : RequiredString(credentials, "secret_access_key", "storage.credentials."));
            default:
                throw Error("storage.type", table["type"].Line, $"must be \"local\" or \"s3\", not \"{type}\"");
        }
    }

    private ChunkingConfig ReadChunking(ConfigTable? table)
    {
        // Attic requires all four keys; we default to its template values when the section is absent.
        if (table is null)
        {
            return ConfigDefaults.Chunking;
        }
        var threshold = RequiredInteger(table, "nar-size-threshold", "chunking.", min: 0);
        var min = RequiredInteger(table, "min-size", "chunking.", min: 64);
        var avg = RequiredInteger(table, "avg-size", "chunking.", min: 256);
        var max = RequiredInteger(table, "max-size", "chunking.", min: 1024);
        if (!(min <= avg && avg <= max) || max > 64 * 1024 * 1024)
        {
            throw Error("chunking", table.Line, "min-size <= avg-size <= max-size <= 64 MiB must hold");
        }
        return new ChunkingConfig(threshold, (int)min, (int)avg, (int)max);
    }

    private CompressionConfig ReadCompression(ConfigTable? table)
    {
        if (table is null)
        {
            return ConfigDefaults.Compression;
        }
        var typeName = RequiredString(table, "type", "compression.");
        var type = typeName switch
        {
            "none" => CompressionType.None,
            "zstd" => CompressionType.Zstd,
            "xz" => CompressionType.Xz,
            "brotli" => CompressionType.Brotli,
            _ => throw Error("compression.type", table["type"].Line, $"must be one of none, zstd, xz, brotli, not \"{typeName}\""),
        };
        var level = OptionalInteger(table, "level", "compression.", min: -7);
        if (level is > 22)
        {
            throw Error("compression.level", table["level"].Line, "must be at most 22");
        }
        return new CompressionConfig(type, level is null ? null : (int)level);
    }

    private GarbageCollectionConfig ReadGarbageCollection(ConfigTable? table)
    {
        var interval = table is null ? null : OptionalDuration(table, "interval", "garbage-collection.");
        var retention = table is null ? null : OptionalDuration(table, "default-retention-period", "garbage-collection.");
        var checkBlobs = table is null ? null : OptionalBool(table, "check-blobs", "garbage-collection.");
        return new GarbageCollectionConfig(
            interval ?? ConfigDefaults.GarbageCollectionInterval, retention ?? ConfigDefaults.DefaultRetentionPeriod,
            checkBlobs ?? ConfigDefaults.GarbageCollectionChecksBlobs);
    }

    /// <summary>Vega's own <c>[upload]</c> section: <c>idle-timeout</c> (a duration) and <c>min-rate</c> (bytes/s).</summary>
    private UploadConfig ReadUpload(ConfigTable? table)
    {
        var idle = table is null ? null : OptionalDuration(table, "idle-timeout", "upload.");
        var minRate = table is null ? null : OptionalInteger(table, "min-rate", "upload.", min: 0);
        if (table is not null)
        {
            foreach (var key in table.Keys.Where(k => k is not ("idle-timeout" or "min-rate")))
            {
                throw Error("upload." + key, table[key].Line, "unknown key (upload takes idle-timeout and min-rate)");
            }
        }
        return new UploadConfig(idle ?? ConfigDefaults.Upload.IdleTimeout, minRate ?? ConfigDefaults.Upload.MinBytesPerSecond);
    }

    /// <summary>Vega's own <c>[metrics]</c> section: <c>enabled</c> (default true) and <c>token</c> (a bearer secret).</summary>
    private MetricsConfig ReadMetrics(ConfigTable? table)
    {
        if (table is null)
        {
            return ConfigDefaults.Metrics;
        }
        foreach (var key in table.Keys.Where(k => k is not ("enabled" or "token")))
        {
            throw Error("metrics." + key, table[key].Line, "unknown key (metrics takes enabled and token)");
        }
        var token = OptionalString(table, "token", "metrics.");
        if (token is { Length: < 16 })
        {
            throw Error("metrics.token", table["token"].Line, "is shorter than 16 characters: use a random secret");
        }
        return new MetricsConfig(OptionalBool(table, "enabled", "metrics.") ?? ConfigDefaults.Metrics.Enabled, token);
    }

    private JwtConfig ReadJwt(ConfigTable? table)
    {
        var issuer = table is null ? null : OptionalString(table, "token-bound-issuer", "jwt.");
        var audiences = table is null ? null : OptionalStringArray(table, "token-bound-audiences", "jwt.");
        var signingTable = table is null ? null : OptionalTable(table, "signing", "jwt.");
        return new JwtConfig(issuer, audiences, ReadSigning(signingTable));
    }

    private JwtSigningConfig ReadSigning(ConfigTable? table)
    {
        if (table is not null)
        {
            var present = SigningKeys.Where(k => table.TryGetValue(k, out _)).ToList();
            if (present.Count != 1)
            {
                throw Error("jwt.signing", table.Line,
                    $"set exactly one of {string.Join(", ", SigningKeys)} (found {present.Count})");
            }
            return new JwtSigningConfig(present[0], RequiredString(table, present[0], "jwt.signing."));
        }
        foreach (var key in SigningKeys)
        {
            var envName = "ATTIC_SERVER_" + key[..^"-base64".Length].Replace('-', '_').ToUpperInvariant() + "_BASE64";
            if (NonEmptyEnv(envName) is { } value)
            {
                return new JwtSigningConfig(key, value);
            }
        }
        throw new ConfigException(
            $"{_source}: no JWT signing key: set one of token-rs256-secret-base64, token-rs256-pubkey-base64 or " +
            "token-hs256-secret-base64 in [jwt.signing], or ATTIC_SERVER_TOKEN_RS256_SECRET_BASE64 " +
            "(generate one with: openssl genrsa -traditional 4096 | base64 -w0)");
    }

    private string? NonEmptyEnv(string name) => _env(name) is { Length: > 0 } value ? value : null;

    private string? OptionalEndpoint(ConfigTable table, string key)
    {
        var value = OptionalString(table, key, "");
        if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw Error(key, table[key].Line, "must be an absolute http(s) URL ending in \"/\"");
        }
        return value;
    }

    private TimeSpan? OptionalDuration(ConfigTable table, string key, string prefix)
    {
        var text = OptionalString(table, key, prefix);
        if (text is null)
        {
            return null;
        }
        if (!HumanDuration.TryParse(text, out var value, out var error))
        {
            throw Error(prefix + key, table[key].Line, error ?? "invalid duration");
        }
        return value;
    }

    private ConfigTable? OptionalTable(ConfigTable table, string key, string prefix) =>
        Optional(table, key) switch
        {
            null => null,
            { Value: ConfigTable t } => t,
            var other => throw Error(prefix + key, other.Line, "must be a table"),
        };

    private string RequiredString(ConfigTable table, string key, string prefix) =>
        OptionalString(table, key, prefix) ?? throw new ConfigException($"{_source}: {prefix}{key} is required");

    private string? OptionalString(ConfigTable table, string key, string prefix) =>
        Optional(table, key) switch
        {
            null => null,
            { Value: string s } => s,
            var other => throw Error(prefix + key, other.Line, "must be a string"),
        };

    private bool? OptionalBool(ConfigTable table, string key, string prefix) =>
        Optional(table, key) switch
        {
            null => null,
            { Value: bool b } => b,
            var other => throw Error(prefix + key, other.Line, "must be true or false"),
        };

    private long RequiredInteger(ConfigTable table, string key, string prefix, long min) =>
        OptionalInteger(table, key, prefix, min) ?? throw new ConfigException($"{_source}: {prefix}{key} is required");

    private long? OptionalInteger(ConfigTable table, string key, string prefix, long min) =>
        Optional(table, key) switch
        {
            null => null,
            { Value: long i } when i >= min && i <= int.MaxValue => i,
            { Value: long } other => throw Error(prefix + key, other.Line, $"must be between {min} and {int.MaxValue}"),
            var other => throw Error(prefix + key, other.Line, "must be an integer"),
        };

    private IReadOnlyList<string>? OptionalStringArray(ConfigTable table, string key, string prefix)
    {
        if (Optional(table, key) is not { } value)
        {
            return null;
        }
        if (value.Value is not List<ConfigValue> items || items.Any(i => i.Value is not string))
        {
            throw Error(prefix + key, value.Line, "must be an array of strings");
        }
        return items.Select(i => (string)i.Value).ToList();
    }

    private static ConfigValue? Optional(ConfigTable table, string key) => table.TryGetValue(key, out var v) ? v : null;

    private ConfigException Error(string key, int line, string problem) => new($"{_source}:{line}: {key}: {problem}");
}
