using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.E2E.Hostile;

/// <summary>What the cases build their requests from: the running server, its caches, tokens and signing key.</summary>
internal sealed class HostileContext
{
    public const string Cache = "hostile";
    public const string PublicCache = "hostile-pub";
    public const string PatchCache = "hostile-patch";

    public required string BaseUrl { get; init; }
    public required int Port { get; init; }
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Every bit on <c>*</c>, from the server's make-token.</summary>
    public required string RootToken { get; init; }

    /// <summary><c>--pull hostile</c> only.</summary>
    public required string PullToken { get; init; }

    /// <summary>The signing algorithm the server is configured with, and a signer holding its key.</summary>
    public required string Algorithm { get; init; }
    public required Func<byte[], byte[]> ServerSigner { get; init; }

    /// <summary>The configured key material as text: it must never appear in a response.</summary>
    public required string SecretText { get; init; }

    /// <summary>Extra keys for key-confusion cases: the RSA public key as PEM and DER (RS256 configuration only).</summary>
    public byte[]? PublicKeyPem { get; init; }
    public byte[]? PublicKeyDer { get; init; }
    public byte[]? PublicKeyPkcs1Pem { get; init; }
    public byte[]? PrivateKeyPem { get; init; }

    public required long Now { get; init; }

    /// <summary>A NAR stored at start: PUT by the Nix route as <see cref="BaseNarFile"/>, and pushed as <see cref="BaseHash"/>.</summary>
    public required byte[] BaseNar { get; init; }
    public required string BaseNarFile { get; init; }
    public required string BaseHash { get; init; }
}

/// <summary>An ordered JSON object of raw JSON values, so a case can remove a key or put any text in its place.</summary>
internal sealed class JsonFields
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public JsonFields Set(string key, string rawJson)
    {
        var index = _fields.FindIndex(f => f.Key == key);
        if (index >= 0)
        {
            _fields[index] = new(key, rawJson);
        }
        else
        {
            _fields.Add(new(key, rawJson));
        }
        return this;
    }

    public JsonFields Remove(string key)
    {
        _fields.RemoveAll(f => f.Key == key);
        return this;
    }

    public string Render() => "{" + string.Join(',', _fields.Select(f => $"{Requests.Quote(f.Key)}:{f.Value}")) + "}";
}

/// <summary>Builders for the requests the cases send.</summary>
internal static class Requests
{
    public static string Quote(string text) =>
        "\"" + JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString() + "\"";

    /// <summary>A 32-character store path hash derived from the text, so every case has its own path.</summary>
    public static string StorePathHash(string seed) => Nix32.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 20));

    /// <summary>A small valid NAR whose contents are unique to the seed.</summary>
    public static byte[] UniqueNar(string seed) => NarBytes.File("hostile " + seed);

    public static string HexHash(byte[] nar) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(nar));

    public static string NixFileName(byte[] fileBytes, string extension = "") => Nix32.Encode(SHA256.HashData(fileBytes)) + ".nar" + extension;

    public static KeyValuePair<string, string> Bearer(string token) => new("Authorization", "bearer " + token);

    /// <summary>The upload info the attic client sends for a NAR, every key present.</summary>
    public static JsonFields UploadInfo(string hash, byte[] nar, string cache = HostileContext.Cache) => new JsonFields()
        .Set("cache", Quote(cache))
        .Set("store_path_hash", Quote(hash))
        .Set("store_path", Quote($"/nix/store/{hash}-hostile"))
        .Set("references", "[]")
        .Set("system", "null")
        .Set("deriver", "null")
        .Set("sigs", "[]")
        .Set("ca", "null")
        .Set("nar_hash", Quote(HexHash(nar)))
        .Set("nar_size", nar.Length.ToString());

    /// <summary><c>PUT /_api/v1/upload-path</c>, chunked, the info in the header or in a preamble.</summary>
    public static HostileRequest UploadPath(string info, byte[] nar, bool preamble, string? token)
    {
        var infoBytes = Encoding.UTF8.GetBytes(info);
        var request = new HostileRequest("PUT", "/_api/v1/upload-path")
        {
            Body = preamble ? [.. infoBytes, .. nar] : nar,
            Chunked = true,
        };
        request.With(preamble ? "X-Attic-Nar-Info-Preamble-Size" : "X-Attic-Nar-Info", preamble ? infoBytes.Length.ToString() : info);
        return token is null ? request : request.With("Authorization", "bearer " + token);
    }

    /// <summary>A narinfo as Nix 2.8 writes it, for a NAR uploaded under <paramref name="narFile"/>.</summary>
    public static List<KeyValuePair<string, string>> NarInfo(string hash, string narFile, byte[] nar) =>
    [
        new("StorePath", $"/nix/store/{hash}-hostile"),
        new("URL", "nar/" + narFile),
        new("Compression", "none"),
        new("FileHash", "sha256:" + Nix32.Encode(SHA256.HashData(nar))),
        new("FileSize", nar.Length.ToString()),
        new("NarHash", "sha256:" + Nix32.Encode(SHA256.HashData(nar))),
        new("NarSize", nar.Length.ToString()),
        new("References", ""),
    ];

    public static byte[] Render(IEnumerable<KeyValuePair<string, string>> lines) =>
        Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => $"{l.Key}: {l.Value}\n")));

    public static HostileRequest PutNarInfo(string hash, byte[] body, string? token, string cache = HostileContext.Cache)
    {
        var request = new HostileRequest("PUT", $"/{cache}/{hash}.narinfo") { Body = body }.With("Content-Type", "text/x-nix-narinfo");
        return token is null ? request : request.With("Authorization", "bearer " + token);
    }

    public static HostileRequest PutNar(string file, byte[] body, string? token, string cache = HostileContext.Cache)
    {
        var request = new HostileRequest("PUT", $"/{cache}/nar/{file}") { Body = body }.With("Content-Type", "application/x-nix-nar");
        return token is null ? request : request.With("Authorization", "bearer " + token);
    }

    public static HostileRequest Get(string target, string? token)
    {
        var request = new HostileRequest("GET", target);
        return token is null ? request : request.With("Authorization", "bearer " + token);
    }

    public static HostileRequest Json(string method, string target, string body, string? token, string contentType = "application/json")
    {
        var request = new HostileRequest(method, target) { Body = Encoding.UTF8.GetBytes(body) };
        if (contentType.Length > 0)
        {
            request.With("Content-Type", contentType);
        }
        return token is null ? request : request.With("Authorization", "bearer " + token);
    }

    /// <summary>
    /// Exact request bytes: the request line, <c>Host</c> (unless <paramref name="host"/> is null), the extra header
    /// lines, <c>Connection: close</c>, then the body.
    /// </summary>
    public static HostileRequest Raw(HostileContext ctx, string requestLine, IEnumerable<string>? headers = null, byte[]? body = null,
        bool halfClose = false, string? host = "", bool contentLength = true)
    {
        var head = new StringBuilder(requestLine).Append("\r\n");
        if (host is not null)
        {
            head.Append("Host: ").Append(host.Length == 0 ? ctx.Host : host).Append("\r\n");
        }
        foreach (var header in headers ?? [])
        {
            head.Append(header).Append("\r\n");
        }
        if (body is not null && contentLength)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }
        head.Append("Connection: close\r\n\r\n");
        return new HostileRequest("RAW", requestLine) { Raw = [.. Encoding.Latin1.GetBytes(head.ToString()), .. body ?? []], HalfClose = halfClose };
    }
}
