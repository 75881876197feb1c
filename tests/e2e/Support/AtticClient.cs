using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vega.Lite.E2E.Support;

/// <summary>A non-2xx answer from the server, as the attic client sees it: which call, the status and Attic's error body.</summary>
public sealed class AtticApiException(string call, HttpStatusCode status, string body)
    : Exception($"{call}: HTTP {(int)status}: {body}")
{
    public string Call { get; } = call;
    public HttpStatusCode Status { get; } = status;
    public string Body { get; } = body;
    public string? Code { get; } = Field(body, "code");
    public string? Error { get; } = Field(body, "error");
    public string? ErrorMessage { get; } = Field(body, "message");

    private static string? Field(string body, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value)
                ? value.ToString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The parts of a CacheConfig (docs/attic-api.md §3.5.1) the client reads.</summary>
public sealed record AtticCacheConfig(
    string SubstituterEndpoint, string ApiEndpoint, string PublicKey, bool IsPublic, IReadOnlyList<string> UpstreamCacheKeyNames);

/// <summary>A store path's info as the client sends it: NAR hash as <c>sha256:&lt;hex&gt;</c>, references as base names.</summary>
public sealed record AtticPathInfo(string StorePath, string NarHash, long NarSize, IReadOnlyList<string> References, IReadOnlyList<string> Sigs, string? Ca)
{
    public string Hash => Path.GetFileName(StorePath)[..32];
}

/// <summary>One 2xx answer to upload-path (UploadPathResult, docs/attic-api.md §3.4); <c>FileSize</c> is null when the key is absent.</summary>
public sealed record AtticUploadResult(string Kind, long? FileSize, string Body);

/// <summary>What a push did: paths left after the upstream filter, what the server said was missing, and each upload's answer.</summary>
public sealed record AtticPushResult(
    IReadOnlyList<AtticPathInfo> Candidates, int InUpstream, IReadOnlyList<string> Missing, IReadOnlyDictionary<string, AtticUploadResult> Uploads);

/// <summary>What <c>attic use</c> yields: the substituter and key it would write into nix.conf.</summary>
public sealed record AtticUse(string Substituter, string PublicKey)
{
    /// <summary>nix.conf lines for a test run (offline, so without the cache.nixos.org entries attic use also adds).</summary>
    public string[] NixConfigLines => [$"substituters = {Substituter}", $"trusted-public-keys = {PublicKey}"];
}

/// <summary>
/// A stand-in for the stock <c>attic</c> client (docs/attic-api.md §5.3): the same HTTP calls, bodies and headers, in the same order.
/// One instance is one configured server (<c>attic login NAME ENDPOINT [TOKEN]</c>); a null token is anonymous.
/// </summary>
public sealed class AtticClient(NixEnvironment nix, string endpoint, string? token) : IDisposable
{
    private const int PreambleThreshold = 4096;
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HttpClient _http = CreateHttp(token);
    private readonly Uri _endpoint = new(endpoint);

    private static HttpClient CreateHttp(string? token)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Attic/attic-client (dev)");
        if (token is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + token);
        }
        return http;
    }

    /// <summary><c>attic cache info</c>: <c>GET {endpoint}_api/v1/cache-config/{cache}</c>.</summary>
    public async Task<AtticCacheConfig> GetCacheConfigAsync(string cache)
    {
        var body = await SendAsync(HttpMethod.Get, _endpoint, $"_api/v1/cache-config/{cache}", null);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new AtticCacheConfig(
            root.GetProperty("substituter_endpoint").GetString()!,
            root.GetProperty("api_endpoint").GetString()!,
            root.GetProperty("public_key").GetString()!,
            root.GetProperty("is_public").GetBoolean(),
            [.. root.GetProperty("upstream_cache_key_names").EnumerateArray().Select(e => e.GetString()!)]);
    }

    /// <summary><c>attic cache create</c> with the client's defaults; returns the response body.</summary>
    public Task<string> CreateCacheAsync(string cache, bool isPublic = false) =>
        SendAsync(HttpMethod.Post, _endpoint, $"_api/v1/cache-config/{cache}", Json(w =>
        {
            w.WriteString("keypair", "Generate");
            w.WriteBoolean("is_public", isPublic);
            w.WriteString("store_dir", "/nix/store");
            w.WriteNumber("priority", 41);
            w.WriteStartArray("upstream_cache_key_names");
            w.WriteStringValue("cache.nixos.org-1");
            w.WriteEndArray();
        }));

    /// <summary><c>attic cache configure</c>: only the given fields, plus <c>retention_period</c> always (#350).</summary>
    public Task<string> ConfigureCacheAsync(string cache, bool? isPublic = null, uint? retentionSeconds = null) =>
        SendAsync(HttpMethod.Patch, _endpoint, $"_api/v1/cache-config/{cache}", Json(w =>
        {
            if (isPublic is { } value)
            {
                w.WriteBoolean("is_public", value);
            }
            if (retentionSeconds is { } seconds)
            {
                w.WriteStartObject("retention_period");
                w.WriteNumber("Period", seconds);
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("retention_period", "Global");
            }
        }));

    /// <summary><c>attic cache destroy --no-confirm</c>; returns the response body.</summary>
    public Task<string> DestroyCacheAsync(string cache) => SendAsync(HttpMethod.Delete, _endpoint, $"_api/v1/cache-config/{cache}", null);

    /// <summary><c>attic use</c>: read the cache config, write the netrc entry for the substituter's host, return what nix.conf gets.</summary>
    public async Task<AtticUse> UseAsync(string cache)
    {
        var config = await GetCacheConfigAsync(cache);
        if (token is not null)
        {
            WriteNetrcEntry(nix.NetrcPath, new Uri(config.SubstituterEndpoint).Host, token);
        }
        return new AtticUse(config.SubstituterEndpoint, config.PublicKey);
    }

    /// <summary>
    /// <c>attic push</c>: cache config, closure and path infos from Nix, the upstream filter, one get-missing-paths, then
    /// up to <paramref name="jobs"/> concurrent uploads in arbitrary order. Throws the first failed call (after all uploads ran).
    /// </summary>
    public async Task<AtticPushResult> PushAsync(string cache, IEnumerable<string> paths, bool forcePreamble = false, bool noClosure = false, int jobs = 5)
    {
        var config = await GetCacheConfigAsync(cache);
        var api = new Uri(config.ApiEndpoint);
        var infos = await QueryPathInfosAsync(paths, noClosure);
        var candidates = infos.Where(i => !i.Sigs.Any(s => config.UpstreamCacheKeyNames.Contains(s.Split(':')[0]))).ToList();
        if (candidates.Count == 0)
        {
            return new AtticPushResult(candidates, infos.Count, [], new Dictionary<string, AtticUploadResult>());
        }

        var missing = await GetMissingPathsAsync(cache, candidates.Select(i => i.Hash), api);

        var toUpload = candidates.Where(i => missing.Contains(i.Hash)).ToArray();
        Random.Shared.Shuffle(toUpload); // the client's order is hash-map order, never dependency order
        var uploads = new Dictionary<string, AtticUploadResult>();
        var failures = new List<Exception>();
        using var slots = new SemaphoreSlim(jobs);
        await Task.WhenAll(toUpload.Select(async info =>
        {
            await slots.WaitAsync();
            try
            {
                var result = await UploadPathAsync(api, cache, info, forcePreamble);
                lock (uploads)
                {
                    uploads[info.StorePath] = result;
                }
            }
            catch (Exception e)
            {
                lock (failures)
                {
                    failures.Add(e);
                }
            }
            finally
            {
                slots.Release();
            }
        }));
        if (failures.Count > 0)
        {
            throw failures[0];
        }
        return new AtticPushResult(candidates, infos.Count - candidates.Count, missing, uploads);
    }

    /// <summary><c>POST _api/v1/get-missing-paths</c> with all hashes in one request; the hashes the cache lacks.</summary>
    public async Task<IReadOnlyList<string>> GetMissingPathsAsync(string cache, IEnumerable<string> hashes, Uri? api = null)
    {
        var body = await SendAsync(HttpMethod.Post, api ?? _endpoint, "_api/v1/get-missing-paths", Json(w =>
        {
            w.WriteString("cache", cache);
            WriteArray(w, "store_path_hashes", hashes);
        }));
        using var json = JsonDocument.Parse(body);
        return [.. json.RootElement.GetProperty("missing_paths").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>Path infos from the local store (<c>nix path-info --json</c>), the closure unless <paramref name="noClosure"/>.</summary>
    public async Task<IReadOnlyList<AtticPathInfo>> QueryPathInfosAsync(IEnumerable<string> paths, bool noClosure = false)
    {
        var result = await nix.RunAsync("nix", ["path-info", "--json", .. noClosure ? Array.Empty<string>() : ["--recursive"], .. paths]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe("nix path-info --json"));
        }
        using var json = JsonDocument.Parse(result.Stdout);
        // Nix 2.8 prints an array of objects with "path"; newer Nix an object keyed by path.
        var entries = json.RootElement.ValueKind == JsonValueKind.Array
            ? json.RootElement.EnumerateArray().Select(e => (e.GetProperty("path").GetString()!, e))
            : json.RootElement.EnumerateObject().Select(p => (p.Name, p.Value));
        return [.. entries.Select(entry =>
        {
            var (path, e) = entry;
            return new AtticPathInfo(
                path,
                Core.Nix.NixHash.Parse(e.GetProperty("narHash").GetString()!).ToHexString(), // Nix 2.8 prints SRI; the client sends hex
                e.GetProperty("narSize").GetInt64(),
                [.. e.GetProperty("references").EnumerateArray().Select(r => Path.GetFileName(r.GetString()!))],
                e.TryGetProperty("signatures", out var sigs) || e.TryGetProperty("sigs", out sigs)
                    ? [.. sigs.EnumerateArray().Select(s => s.GetString()!)]
                    : [],
                e.TryGetProperty("ca", out var ca) && ca.ValueKind == JsonValueKind.String ? ca.GetString() : null);
        })];
    }

    /// <summary>One <c>PUT _api/v1/upload-path</c>, the NAR streamed from <c>nix-store --dump</c> chunked, no Content-Length.</summary>
    public async Task<AtticUploadResult> UploadPathAsync(Uri api, string cache, AtticPathInfo info, bool forcePreamble)
    {
        var narInfo = Json(w =>
        {
            w.WriteString("cache", cache);
            w.WriteString("store_path_hash", info.Hash);
            w.WriteString("store_path", info.StorePath);
            WriteArray(w, "references", info.References);
            w.WriteNull("system");
            w.WriteNull("deriver");
            WriteArray(w, "sigs", info.Sigs);
            if (info.Ca is null)
            {
                w.WriteNull("ca");
            }
            else
            {
                w.WriteString("ca", info.Ca);
            }
            w.WriteString("nar_hash", info.NarHash);
            w.WriteNumber("nar_size", info.NarSize);
        });
        var preamble = forcePreamble || narInfo.Length >= PreambleThreshold;
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(api, "_api/v1/upload-path"));
        request.Content = new NarDumpContent(nix, info.StorePath, preamble ? narInfo : null);
        request.Headers.TransferEncodingChunked = true;
        if (preamble)
        {
            request.Headers.TryAddWithoutValidation("X-Attic-Nar-Info-Preamble-Size", narInfo.Length.ToString());
        }
        else
        {
            request.Headers.TryAddWithoutValidation("X-Attic-Nar-Info", Encoding.UTF8.GetString(narInfo));
        }
        var body = await SendAsync(request, "PUT _api/v1/upload-path");
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var kind = root.TryGetProperty("kind", out var k) && k.GetString() is "Deduplicated" ? "Deduplicated" : "Uploaded";
            return new AtticUploadResult(kind, root.TryGetProperty("file_size", out var size) ? size.GetInt64() : null, body);
        }
        catch (JsonException)
        {
            return new AtticUploadResult("Uploaded", null, body); // the client counts any 2xx as success
        }
    }

    private async Task<string> SendAsync(HttpMethod method, Uri baseUri, string path, byte[]? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        return await SendAsync(request, $"{method} {path}");
    }

    private async Task<string> SendAsync(HttpRequestMessage request, string call)
    {
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new AtticApiException(call, response.StatusCode, body);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    /// <summary>As the client's nix_netrc: the machine's entry becomes <c>machine HOST</c> + <c>password TOKEN</c>; others are kept.</summary>
    private static void WriteNetrcEntry(string netrcPath, string host, string token)
    {
        var kept = new List<string>();
        var skipping = false;
        foreach (var line in File.Exists(netrcPath) ? File.ReadAllLines(netrcPath) : [])
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["machine", var machine, ..])
            {
                skipping = machine == host;
            }
            if (!skipping)
            {
                kept.Add(line);
            }
        }
        kept.AddRange([$"machine {host}", $"password {token}"]);
        File.WriteAllText(netrcPath, string.Join('\n', kept) + "\n");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The PUT body: the optional preamble, then <c>nix-store --dump</c>'s stdout copied through as it is produced.</summary>
    private sealed class NarDumpContent(NixEnvironment nix, string storePath, byte[]? preamble) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            if (preamble is not null)
            {
                await stream.WriteAsync(preamble, cancellationToken);
            }
            var info = new ProcessStartInfo("nix-store") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("--dump");
            info.ArgumentList.Add(storePath);
            foreach (var (key, value) in nix.Env())
            {
                info.Environment[key] = value;
            }
            using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start nix-store --dump");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.StandardOutput.BaseStream.CopyToAsync(stream, 64 * 1024, timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            if (process.ExitCode != 0)
            {
                throw new IOException($"nix-store --dump {storePath} exited {process.ExitCode}: {await stderr}");
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
