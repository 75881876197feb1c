using System.Security.Cryptography;
using System.Text;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E.Hostile;

/// <summary>
/// One server for a whole class of hostile cases (a class fixture): started on a fresh directory with chunking on and
/// the GC loop off (so storage changes only through requests), three caches, tokens from its make-token and a NAR
/// stored at start. Runs each case and checks its rule, that the server still answers, and that a refused upload
/// left nothing visible or stored; at the end, one GC pass on the stopped server must leave no orphan.
/// </summary>
public abstract class HostileServer : IAsyncLifetime
{
    private const string Chunking = "[chunking]\nnar-size-threshold = 65536\nmin-size = 16384\navg-size = 32768\nmax-size = 131072";
    private const string AllFlags = "--push * --pull * --delete * --create-cache * --destroy-cache * --configure-cache * --configure-cache-retention *";

    private static readonly string[] LeakMarkers = ["SQLite format 3", "root:x:0:0", "[jwt.signing]", "-----BEGIN"];

    private VegaLiteProcess _server = null!;
    private HostileHttp _http = null!;
    private StorageState _storage = null!;
    private HostileContext _context = null!;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-e2e-hostile-" + Guid.NewGuid().ToString("N")[..10]);

    protected abstract bool Rs256 { get; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var rsa = Rs256 ? RSA.Create(2048) : null;
        var secret = rsa is null
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))
            : Convert.ToBase64String(Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem()));
        File.WriteAllText(Path.Combine(_directory, "server.toml"),
            $"""
            listen = "127.0.0.1:0"
            {Chunking}
            [garbage-collection]
            interval = "0s"
            [database]
            url = "sqlite://{_directory}/server.db?mode=rwc"
            [storage]
            type = "local"
            path = "{_directory}/storage"
            [jwt.signing]
            token-{(rsa is null ? "hs256" : "rs256")}-secret-base64 = "{secret}"
            """);
        _server = await VegaLiteProcess.StartAsync(_directory);
        var root = await _server.MakeTokenAsync(AllFlags.Split(' '));
        var pull = await _server.MakeTokenAsync("--pull", HostileContext.Cache);
        using (var api = new CacheApi(_server.BaseUrl, root))
        {
            await api.CreateCacheAsync(HostileContext.Cache);
            await api.CreateCacheAsync(HostileContext.PublicCache, isPublic: true);
            await api.CreateCacheAsync(HostileContext.PatchCache);
        }
        _http = new HostileHttp(_server.BaseUrl, _server.Port);
        var baseNar = Requests.UniqueNar("base NAR stored at start");
        var baseFile = Requests.NixFileName(baseNar);
        var baseHash = Requests.StorePathHash("base object");
        await MustSucceedAsync(Requests.PutNar(baseFile, baseNar, root));
        await MustSucceedAsync(Requests.UploadPath(Requests.UploadInfo(baseHash, baseNar).Render(), baseNar, preamble: false, root));
        _context = new HostileContext
        {
            BaseUrl = _server.BaseUrl,
            Port = _server.Port,
            RootToken = root,
            PullToken = pull,
            Algorithm = rsa is null ? "HS256" : "RS256",
            ServerSigner = rsa is null ? ForgedTokens.Hs256(Convert.FromBase64String(secret)) : ForgedTokens.Rs256(rsa),
            SecretText = secret,
            PublicKeyPem = rsa is null ? null : Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem() + "\n"),
            PublicKeyDer = rsa?.ExportSubjectPublicKeyInfo(),
            PublicKeyPkcs1Pem = rsa is null ? null : Encoding.ASCII.GetBytes(rsa.ExportRSAPublicKeyPem() + "\n"),
            PrivateKeyPem = rsa is null ? null : Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem()),
            Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            BaseNar = baseNar,
            BaseNarFile = baseFile,
            BaseHash = baseHash,
        };
        _storage = new StorageState(_directory);
    }

    private async Task MustSucceedAsync(HostileRequest request)
    {
        var response = await _http.SendAsync(request);
        if (!response.IsSuccess)
        {
            throw new InvalidOperationException($"setting up the hostile server: {request.Method} {request.Target}: {response}\n{_server.Log}");
        }
    }

    internal async Task RunAsync(HostileCase c)
    {
        var request = c.Build(_context);
        var before = c.Stores ? await QuiescentSnapshotAsync() : null;
        var response = await _http.SendAsync(request);
        var problems = Check(c, request, response).ToList();
        if (c.Rule == Rule.SameStatusAsGet)
        {
            var get = await _http.SendAsync(request with { Method = "GET" });
            if (get.Status != response.Status)
            {
                problems.Add($"HEAD answered {response.Status}, GET on the same URL {get.Status}");
            }
        }

        var alive = await _http.SendAsync(Requests.Get($"/{HostileContext.Cache}/nix-cache-info", _context.RootToken));
        if (alive.Status != 200)
        {
            problems.Add($"afterwards GET /{HostileContext.Cache}/nix-cache-info answered {alive}: the server is not well");
        }
        if (!response.IsSuccess)
        {
            if (before is not null && await StoredSinceAsync(before) is { } stored)
            {
                problems.Add("the refused upload left something stored: " + stored);
            }
            if (c.ProbeHash is { } hash)
            {
                await CheckAbsentAsync(hash, problems);
            }
            if (c.ProbeNixFile is { } file)
            {
                var head = await _http.SendAsync(new HostileRequest("HEAD", $"/{HostileContext.Cache}/nar/{file}").With("Authorization", "bearer " + _context.RootToken));
                if (head.Status != 404)
                {
                    problems.Add($"the refused NAR {file} answers HEAD with {head.Status}, not 404");
                }
            }
        }
        else if (c.ProbeHash is { } hash && (c.Rule == Rule.Accepted || c.NarInfoMustNotContain is not null))
        {
            var narinfo = await _http.SendAsync(Requests.Get($"/{HostileContext.Cache}/{hash}.narinfo", _context.RootToken));
            if (c.Rule == Rule.Accepted && narinfo.Status != 200)
            {
                problems.Add($"the accepted upload is not visible: GET narinfo answered {narinfo}");
            }
            if (c.NarInfoMustNotContain is { } injected && narinfo.BodyText.Contains(injected, StringComparison.Ordinal))
            {
                problems.Add($"the served narinfo carries the injected line \"{injected}\":\n{narinfo.BodyText}");
            }
        }

        if (problems.Count > 0)
        {
            var log = response.Status >= 500 ? "\n--- server log (tail)\n" + string.Join('\n', _server.Log.Split('\n').TakeLast(15)) : "";
            Assert.Fail($"{c.Name} (rule {c.Rule}): {string.Join("; ", problems)}\nanswer: {response}{log}");
        }
    }

    private IEnumerable<string> Check(HostileCase c, HostileRequest request, HostileResponse response)
    {
        if (response.TimedOut)
        {
            yield return $"no answer within {HostileHttp.Limit.TotalSeconds:0} s (a hang)";
            yield break;
        }
        if (response.Status is not { } status)
        {
            if (!c.ProtocolLevel)
            {
                yield return "the connection closed without an answer";
            }
            else if (c.Rule is Rule.Accepted or Rule.SameStatusAsGet)
            {
                yield return "no answer, but the request is valid";
            }
            yield break;
        }
        if (status >= 500 && !(c.ProtocolLevel && status == 505))
        {
            yield return $"a {status} server error";
        }
        else if (status is < 200 or (>= 300 and < 400))
        {
            yield return $"unexpected status {status}";
        }
        else if (status >= 400 && response.Body.Length == 0 && request.Method != "HEAD" && !(status == 405 && response.Allow is not null)
            && status != 431 && !(c.ProtocolLevel && status is 400 or 413 or 414 or 505))
        {
            yield return $"a {status} without a message";
        }
        switch (c.Rule)
        {
            case Rule.Rejected when response.IsSuccess:
                yield return $"accepted ({status}), but the input is invalid and must be refused with a 4xx";
                break;
            case Rule.Accepted when !response.IsSuccess:
                yield return $"refused ({status}), but the input is valid and must be accepted";
                break;
            case Rule.Denied when status is not (401 or 403 or 431):
                yield return $"answered {status}; a bad or insufficient credential must get 401 or 403";
                break;
        }
        var text = Encoding.Latin1.GetString(response.Body);
        foreach (var marker in LeakMarkers.Append(_context.SecretText))
        {
            if (text.Contains(marker, StringComparison.Ordinal))
            {
                yield return $"the answer leaks \"{(marker.Length > 20 ? marker[..20] + "…" : marker)}\"";
            }
        }
    }

    /// <summary>Storage once no upload lease is held (the previous case's upload may still be settling after its answer).</summary>
    private async Task<StorageSnapshot> QuiescentSnapshotAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (await _storage.QueryAsync("SELECT count(*) FROM vega_upload_lease") != "[[0]]" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        return await _storage.TakeAsync();
    }

    /// <summary>Null when storage is as before (waiting up to 3 s for cleanup that runs as the answer goes out), else what changed.</summary>
    private async Task<string?> StoredSinceAsync(StorageSnapshot before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (true)
        {
            var after = await _storage.TakeAsync();
            if (after == before)
            {
                return null;
            }
            if (DateTime.UtcNow > deadline)
            {
                return before.Describe(after);
            }
            await Task.Delay(50);
        }
    }

    private async Task CheckAbsentAsync(string hash, List<string> problems)
    {
        var narinfo = await _http.SendAsync(Requests.Get($"/{HostileContext.Cache}/{hash}.narinfo", _context.RootToken));
        if (narinfo.Status != 404)
        {
            problems.Add($"the refused path {hash} is visible: GET narinfo answered {narinfo.Status}");
        }
        var missing = await _http.SendAsync(Requests.Json("POST", "/_api/v1/get-missing-paths",
            $"{{\"cache\":\"{HostileContext.Cache}\",\"store_path_hashes\":[\"{hash}\"]}}", _context.RootToken));
        if (missing.Status != 200 || !missing.BodyText.Contains(hash, StringComparison.Ordinal))
        {
            problems.Add($"get-missing-paths does not report the refused path {hash} missing: {missing}");
        }
    }

    public async Task DisposeAsync()
    {
        var problems = new List<string>();
        try
        {
            if (_server is not null)
            {
                await _server.KillAsync();
                await _server.CollectGarbageAsync();
                problems.AddRange(await _storage.OrphansAsync());
            }
        }
        finally
        {
            _storage?.Dispose();
            _http?.Dispose();
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("after the hostile cases and a GC pass: " + string.Join("; ", problems));
        }
    }
}

/// <summary>The HS256 configuration: every category of hostile case.</summary>
public sealed class Hs256HostileServer : HostileServer
{
    protected override bool Rs256 => false;
}

/// <summary>The RS256 configuration: the token cases again, with RS256/HS256 key confusion.</summary>
public sealed class Rs256HostileServer : HostileServer
{
    protected override bool Rs256 => true;
}
