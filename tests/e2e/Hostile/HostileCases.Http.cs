using System.Text;
using static Vega.Lite.E2E.Hostile.Requests;

namespace Vega.Lite.E2E.Hostile;

/// <summary>URLs (traversal, encodings, lengths, methods, HEAD) and headers (Range, Authorization, Host, sizes, framing).</summary>
internal static partial class HostileCases
{
    private static IEnumerable<HostileCase> UrlCases()
    {
        var h = StorePathHash("url");
        var targets = new List<(string Name, string Target)>
        {
            ("dotdot-root", "/../../../../etc/passwd"), ("dotdot-cache", "/hostile/../../../../etc/passwd"),
            ("encoded-slash-dotdot", "/hostile/nar/..%2F..%2F..%2Fetc%2Fpasswd"), ("encoded-dots", "/%2e%2e/%2e%2e/etc/passwd"),
            ("encoded-db", "/hostile/%2e%2e%2f%2e%2e%2fserver.db"), ("encoded-config", "/hostile/nar/%2e%2e%2f%2e%2e%2fserver.toml"),
            ("double-slash-root", "//etc/passwd"), ("backslash", "/hostile/nar/..\\..\\server.toml"), ("encoded-backslash", "/hostile/nar/%5c..%5c..%5cserver.toml"),
            ("api-dotdot", "/_api/v1/../../../etc/passwd"), ("storage-dir", "/hostile/nar/../../storage"), ("storage", "/storage/"),
            ("server-db", "/server.db"), ("server-toml", "/server.toml"), ("cache-server-db", "/hostile/server.db"),
            ("nul-narinfo", "/hostile/%00.narinfo"), ("nul-nar", "/hostile/nar/%00.nar"), ("nul-root", "/%00"), ("nul-in-cache", "/hostile%00/nix-cache-info"),
            ("nul-suffix", "/hostile/nix-cache-info%00"), ("trailing-slash", "/hostile/nix-cache-info/"), ("double-slash", "/hostile//nix-cache-info"),
            ("long-query", "/hostile/nix-cache-info?x=" + new string('a', 4000)), ("nul-query", "/hostile/nix-cache-info?%00=%00"),
            ("1000-params", "/hostile/nix-cache-info?" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"p{i}=1&"))),
            ("bad-percent", "/%zz"), ("lone-percent", "/%"), ("overlong-utf8", "/%c0%af"), ("invalid-utf8", "/%ff%fe/nix-cache-info"),
            ("unicode-cache", "/caf%C3%A9/nix-cache-info"), ("cache-51-chars", "/" + new string('c', 51) + "/nix-cache-info"),
            ("cache-leading-dash", "/-bad/nix-cache-info"), ("cache-underscore", "/_api/nix-cache-info"), ("cache-plus", "/a+b/nix-cache-info"),
            ("cache-encoded-wildcard", "/%2A/nix-cache-info"), ("narinfo-31", $"/hostile/{h[..31]}.narinfo"), ("narinfo-33", $"/hostile/{h}0.narinfo"),
            ("narinfo-upper", $"/hostile/{h.ToUpperInvariant()}.narinfo"), ("narinfo-letter-e", $"/hostile/e{h[1..]}.narinfo"),
            ("narinfo-suffix-x", $"/hostile/{h}.narinfo.x"), ("narinfo-no-dot", $"/hostile/{h}narinfo"), ("narinfo-two-dots", $"/hostile/{h}..narinfo"),
            ("narinfo-no-hash", "/hostile/.narinfo"), ("narinfo-ls", $"/hostile/{h}.ls"), ("nar-xz", $"/hostile/nar/{h}.nar.xz"), ("nar-no-ext", $"/hostile/nar/{h}"),
            ("nar-empty", "/hostile/nar/"), ("nar-subdir", "/hostile/nar/a/b"), ("nar-bad-hash", "/hostile/nar/eeee.nar"),
            ("path-4000", "/" + new string('p', 4000)), ("path-9000", "/" + new string('p', 9000)), ("path-70000", "/" + new string('p', 70000)),
            ("log-route", "/hostile/log/x.drv"), ("realisations-route", "/hostile/realisations/x.doi"), ("tab", "/hostile/nix-cache\tinfo"),
        };
        foreach (var (name, target) in targets)
        {
            yield return new HostileCase($"url/{name}", Rule.NoServerError,
                ctx => Raw(ctx, $"GET {target} HTTP/1.1", ["Authorization: bearer " + ctx.RootToken]))
            {
                ProtocolLevel = true,
            };
        }
        var lines = new (string Name, string Line, string? Host)[]
        {
            ("absolute-form", "GET http://evil.example/hostile/nix-cache-info HTTP/1.1", ""), ("asterisk-form", "OPTIONS * HTTP/1.1", ""),
            ("no-leading-slash", "GET hostile/nix-cache-info HTTP/1.1", ""), ("http-1.0-no-host", "GET /hostile/nix-cache-info HTTP/1.0", null),
            ("http-2.0", "GET / HTTP/2.0", ""), ("http-9.9", "GET / HTTP/9.9", ""), ("lowercase-method", "get / HTTP/1.1", ""),
            ("method-with-nul", "G\0T / HTTP/1.1", ""), ("space-in-target", "GET /a b HTTP/1.1", ""), ("no-version", "GET /", ""),
            ("huge-method", new string('M', 8000) + " / HTTP/1.1", ""), ("connect", "CONNECT 127.0.0.1:22 HTTP/1.1", ""),
        };
        foreach (var (name, line, host) in lines)
        {
            yield return new HostileCase($"url/request-line-{name}", Rule.NoServerError, ctx => Raw(ctx, line, host: host)) { ProtocolLevel = true };
        }

        // Every method on every route, anonymous (nothing may change), and HEAD wherever GET answers.
        var routes = new (string Name, Func<HostileContext, string> Target)[]
        {
            ("root", _ => "/"), ("nix-cache-info", _ => "/hostile/nix-cache-info"), ("narinfo", c => $"/hostile/{c.BaseHash}.narinfo"),
            ("nar", c => $"/hostile/nar/{c.BaseHash}.nar"), ("attic-cache-info", _ => "/hostile/attic-cache-info"),
            ("cache-config", _ => "/_api/v1/cache-config/hostile"), ("get-missing-paths", _ => "/_api/v1/get-missing-paths"),
            ("upload-path", _ => "/_api/v1/upload-path"), ("nix-nar-file", c => $"/hostile/nar/{c.BaseNarFile}"),
        };
        foreach (var (route, target) in routes)
        {
            foreach (var method in new[] { "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO" })
            {
                yield return new HostileCase($"method/{route}/{method}", Rule.NoServerError,
                    ctx => new HostileRequest(method, target(ctx)) { Body = method is "POST" or "PUT" or "PATCH" ? "{}"u8.ToArray() : null })
                {
                    Stores = true,
                };
            }
        }
        foreach (var (route, target) in routes[..6])
        {
            yield return new HostileCase($"head/{route}/root-token", Rule.SameStatusAsGet, ctx => new HostileRequest("HEAD", target(ctx)).With("Authorization", "bearer " + ctx.RootToken));
            yield return new HostileCase($"head/{route}/anonymous", Rule.SameStatusAsGet, ctx => new HostileRequest("HEAD", target(ctx)));
        }
        yield return new HostileCase("head/narinfo-missing/root-token", Rule.SameStatusAsGet, _ => new HostileRequest("HEAD", $"/hostile/{h}.narinfo"));
        yield return new HostileCase("head/cache-config-missing/root-token", Rule.SameStatusAsGet,
            ctx => new HostileRequest("HEAD", "/_api/v1/cache-config/no-such-cache").With("Authorization", "bearer " + ctx.RootToken));
    }

    private static IEnumerable<HostileCase> HeaderCases()
    {
        foreach (var range in new[]
        {
            "bytes=0-0", "bytes=0-", "bytes=-1", "bytes=-0", "bytes=5-2", "bytes=0-18446744073709551615", "bytes=18446744073709551616-",
            "bytes=99999999-", "bytes=a-b", "items=0-1", "bytes=0-1,3-4", "bytes=" + string.Join(',', Enumerable.Range(0, 1000).Select(i => $"{i}-{i}")),
            "bytes= 0-1", "", "bytes=-", "bytes=--1", "bytes=1-1-1", "bytes=0-1;x", "bytes=-9223372036854775808", "bytes=9223372036854775807-",
        })
        {
            var label = range.Length > 40 ? "1000-ranges" : range.Length == 0 ? "empty" : range.Replace(' ', '_');
            yield return new HostileCase($"range/nar/{label}", Rule.NoServerError, ctx => Get($"/hostile/nar/{ctx.BaseHash}.nar", ctx.RootToken).With("Range", range));
            if (label is "bytes=0-0" or "bytes=-1" or "bytes=5-2" or "bytes=99999999-" or "1000-ranges")
            {
                yield return new HostileCase($"range/narinfo/{label}", Rule.NoServerError, ctx => Get($"/hostile/{ctx.BaseHash}.narinfo", ctx.RootToken).With("Range", range));
                yield return new HostileCase($"range/nix-cache-info/{label}", Rule.NoServerError, ctx => Get("/hostile/nix-cache-info", ctx.RootToken).With("Range", range));
            }
        }

        var authorizations = new (string Name, Rule Rule, Func<HostileContext, string> Value)[]
        {
            ("control-bearer", Rule.Accepted, c => "bearer " + c.RootToken), ("control-Bearer", Rule.Accepted, c => "Bearer " + c.RootToken),
            ("control-BEARER", Rule.Accepted, c => "BEARER " + c.RootToken), ("control-basic", Rule.Accepted, c => "Basic " + B64("vega:" + c.RootToken)),
            ("control-basic-empty-user", Rule.Accepted, c => "basic " + B64(":" + c.RootToken)),
            ("empty", Rule.Denied, _ => ""), ("scheme-only", Rule.Denied, _ => "Bearer"), ("scheme-space", Rule.Denied, _ => "Bearer "),
            ("two-spaces", Rule.Denied, c => "bearer  " + c.RootToken), ("no-space", Rule.Denied, c => "bearer" + c.RootToken),
            ("unknown-scheme", Rule.Denied, c => "Token " + c.RootToken), ("digest", Rule.Denied, c => "Digest " + c.RootToken),
            ("token-without-scheme", Rule.Denied, c => c.RootToken), ("trailing-garbage", Rule.Denied, c => "bearer " + c.RootToken + " x"),
            ("basic-bad-base64", Rule.Denied, _ => "Basic !!!!"), ("basic-no-colon", Rule.Denied, c => "Basic " + B64(c.RootToken)),
            ("basic-user-only", Rule.Denied, _ => "Basic " + B64("vega:")), ("basic-empty", Rule.Denied, _ => "Basic "),
            ("basic-token-as-user", Rule.Denied, c => "Basic " + B64(c.RootToken + ":x")), ("basic-padding-stripped", Rule.NoServerError, c => "Basic " + B64("vega:" + c.RootToken).TrimEnd('=')),
            ("bearer-basic-payload", Rule.Denied, c => "bearer " + B64("vega:" + c.RootToken)), ("bearer-jwt-like-garbage", Rule.Denied, _ => "bearer a.b.c"),
            ("bearer-64kb", Rule.NoServerError, _ => "bearer " + new string('a', 64_000)),
        };
        foreach (var (name, rule, value) in authorizations)
        {
            yield return new HostileCase($"authorization/read/{name}", rule, ctx => new HostileRequest("GET", "/_api/v1/cache-config/hostile").With("Authorization", value(ctx)));
            var caseName = $"authorization/write/{name}";
            var hash = StorePathHash(caseName);
            yield return new HostileCase(caseName, rule, ctx =>
            {
                var nar = UniqueNar(caseName);
                return UploadPath(UploadInfo(hash, nar).Render(), nar, preamble: false, token: null).With("Authorization", value(ctx));
            })
            {
                Stores = true,
                ProbeHash = hash,
            };
        }
        foreach (var (name, headers) in new (string, Func<HostileContext, string[]>)[]
        {
            ("two-headers-bad-then-good", c => ["Authorization: bearer x", "Authorization: bearer " + c.RootToken]),
            ("two-headers-good-then-bad", c => ["Authorization: bearer " + c.RootToken, "Authorization: bearer x"]),
            ("tab-separator", c => ["Authorization: bearer\t" + c.RootToken]), ("nul-inside", c => ["Authorization: bearer \0" + c.RootToken]),
            ("non-ascii", _ => ["Authorization: bearer \u00e9\u00e9"]), ("obs-fold", c => ["Authorization: bearer", " " + c.RootToken]),
        })
        {
            yield return new HostileCase($"authorization/raw/{name}", Rule.NoServerError,
                ctx => Raw(ctx, "GET /_api/v1/cache-config/hostile HTTP/1.1", headers(ctx)))
            { ProtocolLevel = true };
        }

        var raws = new (string Name, Rule Rule, Func<HostileContext, HostileRequest> Make)[]
        {
            ("host-missing", Rule.NoServerError, c => Raw(c, "GET /hostile/nix-cache-info HTTP/1.1", host: null)),
            ("host-empty", Rule.Rejected, c => Raw(c, "GET /hostile/nix-cache-info HTTP/1.1", host: " ")),
            ("host-other", Rule.NoServerError, c => Raw(c, "GET / HTTP/1.1", host: "evil.example")),
            ("host-10kb", Rule.NoServerError, c => Raw(c, "GET / HTTP/1.1", host: new string('h', 10_000))),
            ("host-twice", Rule.NoServerError, c => Raw(c, "GET / HTTP/1.1", ["Host: evil.example"])),
            ("host-with-nul", Rule.NoServerError, c => Raw(c, "GET / HTTP/1.1", host: "a\0b")),
            ("content-length-negative", Rule.NoServerError, c => Raw(c, $"PUT /hostile/{StorePathHash("cl-neg")}.narinfo HTTP/1.1", ["Content-Length: -1", "Authorization: bearer " + c.RootToken], "x"u8.ToArray(), contentLength: false)),
            ("content-length-text", Rule.NoServerError, c => Raw(c, $"PUT /hostile/{StorePathHash("cl-text")}.narinfo HTTP/1.1", ["Content-Length: abc", "Authorization: bearer " + c.RootToken], "x"u8.ToArray(), contentLength: false)),
            ("content-length-list", Rule.NoServerError, c => Raw(c, $"PUT /hostile/{StorePathHash("cl-list")}.narinfo HTTP/1.1", ["Content-Length: 1, 2", "Authorization: bearer " + c.RootToken], "xy"u8.ToArray(), contentLength: false)),
            ("content-length-2^63", Rule.NoServerError, c => Raw(c, "PUT /_api/v1/upload-path HTTP/1.1", ["Content-Length: 9223372036854775808", "Authorization: bearer " + c.RootToken], "x"u8.ToArray(), contentLength: false, halfClose: true)),
            ("content-length-2^64", Rule.NoServerError, c => Raw(c, "PUT /_api/v1/upload-path HTTP/1.1", ["Content-Length: 18446744073709551616", "Authorization: bearer " + c.RootToken], "x"u8.ToArray(), contentLength: false, halfClose: true)),
            ("content-length-twice", Rule.NoServerError, c => Raw(c, $"PUT /hostile/{StorePathHash("cl-twice")}.narinfo HTTP/1.1", ["Content-Length: 1", "Content-Length: 2", "Authorization: bearer " + c.RootToken], "xy"u8.ToArray(), contentLength: false)),
            ("content-length-and-chunked", Rule.NoServerError, c => Raw(c, "PUT /_api/v1/upload-path HTTP/1.1", ["Content-Length: 5", "Transfer-Encoding: chunked", "Authorization: bearer " + c.RootToken], "0\r\n\r\n"u8.ToArray(), contentLength: false)),
            ("chunk-size-not-hex", Rule.NoServerError, c => UploadRaw(c, "upload-chunk-zz", ["Transfer-Encoding: chunked"], "zz\r\nabc\r\n0\r\n\r\n"u8.ToArray())),
            ("chunk-size-huge", Rule.NoServerError, c => UploadRaw(c, "upload-chunk-huge", ["Transfer-Encoding: chunked"], "ffffffffffffffff\r\nabc"u8.ToArray(), halfClose: true)),
            ("chunk-size-negative", Rule.NoServerError, c => UploadRaw(c, "upload-chunk-neg", ["Transfer-Encoding: chunked"], "-1\r\nabc\r\n0\r\n\r\n"u8.ToArray())),
            ("chunk-final-missing", Rule.NoServerError, c => UploadRaw(c, "upload-chunk-final", ["Transfer-Encoding: chunked"], "3\r\nabc\r\n"u8.ToArray(), halfClose: true)),
            ("chunk-extension", Rule.NoServerError, c => UploadRaw(c, "upload-chunk-ext", ["Transfer-Encoding: chunked"], "3;x=y\r\nabc\r\n0\r\n\r\n"u8.ToArray())),
            ("transfer-encoding-gzip-chunked", Rule.NoServerError, c => UploadRaw(c, "upload-te-gzip", ["Transfer-Encoding: gzip, chunked"], "0\r\n\r\n"u8.ToArray())),
            ("transfer-encoding-identity", Rule.NoServerError, c => UploadRaw(c, "upload-te-identity", ["Transfer-Encoding: identity"], []))
            ,
            ("upload-body-shorter-than-content-length", Rule.NoServerError, c => UploadRaw(c, "upload-short-cl", ["Content-Length: 1000000"], null, halfClose: true, narPart: 0.5)),
            ("nar-put-body-shorter-than-content-length", Rule.NoServerError, c => Raw(c, $"PUT /hostile/nar/{NixFileName(UniqueNar("short-nar"))} HTTP/1.1",
                ["Content-Length: 1000000", "Authorization: bearer " + c.RootToken], UniqueNar("short-nar"), contentLength: false, halfClose: true)),
            ("1000-headers", Rule.NoServerError, c => Raw(c, "GET /hostile/nix-cache-info HTTP/1.1", [.. Enumerable.Range(0, 1000).Select(i => $"X-H{i}: v"), "Authorization: bearer " + c.RootToken])),
            ("header-100kb", Rule.NoServerError, c => Raw(c, "GET /hostile/nix-cache-info HTTP/1.1", ["X-Big: " + new string('b', 100_000)])),
            ("header-name-with-space", Rule.NoServerError, c => Raw(c, "GET / HTTP/1.1", ["Bad Header: x"])),
            ("header-without-colon", Rule.NoServerError, c => Raw(c, "GET / HTTP/1.1", ["NoColonHere"])),
            ("expect-garbage", Rule.NoServerError, c => UploadRaw(c, "upload-expect", ["Expect: garbage", "Transfer-Encoding: chunked"], null)),
            ("expect-100-continue", Rule.NoServerError, c => UploadRaw(c, "upload-expect-100", ["Expect: 100-continue", "Transfer-Encoding: chunked"], null)),
        };
        foreach (var (name, rule, make) in raws)
        {
            yield return new HostileCase($"header/{name}", rule, make) { ProtocolLevel = true, Stores = true };
        }
        foreach (var (name, contentType) in new[] { ("none", ""), ("json", "application/json"), ("garbage", ";;;"), ("10kb", new string('t', 10_000)) })
        {
            var caseName = $"header/narinfo-content-type-{name}";
            var hash = StorePathHash(caseName);
            yield return new HostileCase(caseName, Rule.NoServerError, ctx =>
            {
                var request = new HostileRequest("PUT", $"/hostile/{hash}.narinfo") { Body = Render(NarInfo(hash, ctx.BaseNarFile, ctx.BaseNar)) }
                    .With("Authorization", "bearer " + ctx.RootToken);
                return contentType.Length == 0 ? request : request.With("Content-Type", contentType);
            })
            {
                Stores = true,
            };
        }
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A raw upload-path PUT in header mode for a fresh NAR, with the framing headers and body given (null: the NAR, chunked).</summary>
    private static HostileRequest UploadRaw(HostileContext ctx, string seed, string[] headers, byte[]? body, bool halfClose = false, double narPart = 1)
    {
        var nar = UniqueNar(seed);
        var info = UploadInfo(StorePathHash(seed), nar).Render();
        body ??= narPart < 1 ? nar[..(int)(nar.Length * narPart)] : [.. Encoding.ASCII.GetBytes($"{nar.Length:x}\r\n"), .. nar, .. "\r\n0\r\n\r\n"u8];
        return Raw(ctx, "PUT /_api/v1/upload-path HTTP/1.1", [.. headers, "X-Attic-Nar-Info: " + info, "Authorization: bearer " + ctx.RootToken],
            body, halfClose, contentLength: false);
    }
}
