using System.Text.Json;
using Vega.Lite.Config;

namespace Vega.Lite.Metadata;

/// <summary>
/// Attic's <c>chunk.remote_file</c> and <c>remote_file_id</c> for the configured storage (docs/attic-database.md
/// §1.3): serde's externally tagged JSON, <c>{"Local":{"name":K}}</c> with <c>local:K</c>, or
/// <c>{"S3":{"region":R,"bucket":B,"key":K}}</c> with <c>s3:R/B/K</c>. Reading takes the key back, from a row of the
/// configured kind and, on S3, bucket; any other row is data this server cannot serve, said as such.
/// </summary>
internal sealed class RemoteFiles
{
    private readonly string? _region;
    private readonly string? _bucket;

    /// <summary>What every canonical <c>remote_file</c> of this storage starts with, up to its key; it ends <c>"}}</c>.</summary>
    private readonly string _jsonBeforeKey;

    private RemoteFiles(string? region, string? bucket)
    {
        _region = region;
        _bucket = bucket;
        _jsonBeforeKey = bucket is null ? "{\"Local\":{\"name\":\"" : "{\"S3\":{\"region\":\"" + region + "\",\"bucket\":\"" + bucket + "\",\"key\":\"";
    }

    public static RemoteFiles For(StorageConfig storage) => storage switch
    {
        S3StorageConfig s3 => new RemoteFiles(RequirePlain(s3.Region, "storage.region"), RequirePlain(s3.Bucket, "storage.bucket")),
        _ => Local,
    };

    /// <summary>Local storage's: <c>{"Local":{"name":K}}</c>.</summary>
    public static RemoteFiles Local { get; } = new(null, null);

    /// <summary>Local storage, or S3 (<see cref="Bucket"/> is then set).</summary>
    public bool IsS3 => _bucket is not null;

    public string? Region => _region;

    public string? Bucket => _bucket;

    /// <summary>The <c>remote_file</c> JSON of a blob key (a <see cref="Storage.BlobKey"/>: no character JSON escapes).</summary>
    public string Json(string key) => IsS3
        ? $$$"""{"S3":{"region":"{{{_region}}}","bucket":"{{{_bucket}}}","key":"{{{Storage.BlobKey.Validated(key)}}}"}}"""
        : $$$"""{"Local":{"name":"{{{Storage.BlobKey.Validated(key)}}}"}}""";

    /// <summary>The <c>remote_file_id</c> of a blob key.</summary>
    public string Id(string key) => IsS3 ? $"s3:{_region}/{_bucket}/{key}" : $"local:{key}";

    /// <summary>The first <c>remote_file_id</c> of this storage's blobs and the first past them: every row of another kind or bucket sorts outside.</summary>
    public (string From, string To) IdRange => IsS3 ? ($"s3:{_region}/{_bucket}/", $"s3:{_region}/{_bucket}0") : ("local:", "local;");

    /// <summary>The blob key a <c>remote_file</c> names; an <see cref="InvalidDataException"/> for a row this storage does not hold.</summary>
    public string KeyOf(string remoteFile)
    {
        // Every row this server wrote, and every row atticd wrote for the same storage, is the canonical text: read the
        // key between the two fixed ends without a JSON parse (this runs for each chunk of each download).
        var prefix = _jsonBeforeKey;
        if (remoteFile.Length > prefix.Length + 3 && remoteFile.StartsWith(prefix, StringComparison.Ordinal) && remoteFile.EndsWith("\"}}", StringComparison.Ordinal))
        {
            var candidate = remoteFile[prefix.Length..^3];
            if (Storage.BlobKey.IsValid(candidate))
            {
                return candidate;
            }
        }
        return KeyOfParsed(remoteFile);
    }

    private string KeyOfParsed(string remoteFile)
    {
        string? kind = null, key = null, bucket = null;
        try
        {
            using var document = JsonDocument.Parse(remoteFile);
            foreach (var variant in document.RootElement.EnumerateObject())
            {
                kind = variant.Name;
                if (variant.Value.ValueKind == JsonValueKind.Object)
                {
                    key = Member(variant.Value, kind == "Local" ? "name" : "key");
                    bucket = Member(variant.Value, "bucket");
                }
                break;
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"chunk remote_file {Quote(remoteFile)} is not Attic's JSON: {e.Message}");
        }
        var expected = IsS3 ? "S3" : "Local";
        if (kind != expected || key is null || !Storage.BlobKey.IsValid(key))
        {
            throw new InvalidDataException($"chunk remote_file {Quote(remoteFile)} is not a blob of this server's {expected} storage");
        }
        if (IsS3 && bucket != _bucket)
        {
            throw new InvalidDataException($"chunk remote_file {Quote(remoteFile)} is in bucket \"{bucket}\", not the configured \"{_bucket}\"");
        }
        return key;
    }

    private static string? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Quote(string text) => "\"" + Core.Nix.Printable.Truncate(text) + "\"";

    /// <summary>Region and bucket names go into JSON unescaped: S3 allows only letters, digits, dots and dashes in them.</summary>
    private static string RequirePlain(string value, string setting) =>
        value.Length > 0 && !value.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
            ? value
            : throw new ConfigException($"{setting} \"{value}\" has characters an S3 region or bucket name cannot have");
}
