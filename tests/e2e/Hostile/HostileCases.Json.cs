using static Vega.Lite.E2E.Hostile.Requests;

namespace Vega.Lite.E2E.Hostile;

/// <summary>JSON bodies of <c>get-missing-paths</c> and of cache creation and configuration.</summary>
internal static partial class HostileCases
{
    private static IEnumerable<HostileCase> MissingPathsCases()
    {
        const string path = "/_api/v1/get-missing-paths";
        var good = StorePathHash("missing-paths");
        var bodies = new List<(string Name, Rule Rule, string Body, string ContentType)>
        {
            ("control-valid", Rule.Accepted, $"{{\"cache\":\"hostile\",\"store_path_hashes\":[\"{good}\"]}}", "application/json"),
            ("control-charset", Rule.Accepted, $"{{\"cache\":\"hostile\",\"store_path_hashes\":[\"{good}\"]}}", "application/json; charset=utf-8"),
            ("control-empty-list", Rule.Accepted, "{\"cache\":\"hostile\",\"store_path_hashes\":[]}", "application/json"),
            ("unknown-keys", Rule.Accepted, $"{{\"cache\":\"hostile\",\"store_path_hashes\":[\"{good}\"],\"x\":[{{}}]}}", "application/json"),
            ("hash-escaped-unicode", Rule.NoServerError, "{\"cache\":\"hostile\",\"store_path_hashes\":[\"\\u0030" + good[1..] + "\"]}", "application/json"),
            ("duplicate-hashes", Rule.Accepted, $"{{\"cache\":\"hostile\",\"store_path_hashes\":[\"{good}\",\"{good}\",\"{good}\"]}}", "application/json"),
            ("50000-hashes", Rule.Accepted, "{\"cache\":\"hostile\",\"store_path_hashes\":[" + string.Join(',', Enumerable.Range(0, 50000).Select(i => Quote(StorePathHash("m" + i)))) + "]}", "application/json"),
            ("over-2mib", Rule.Rejected, "{\"cache\":\"hostile\",\"store_path_hashes\":[" + string.Join(',', Enumerable.Repeat(Quote(good), 70000)) + "]}", "application/json"),
            ("not-json", Rule.Rejected, "cache=hostile", "application/json"),
            ("empty-body", Rule.Rejected, "", "application/json"),
            ("json-null", Rule.Rejected, "null", "application/json"),
            ("json-array", Rule.Rejected, "[]", "application/json"),
            ("truncated", Rule.Rejected, "{\"cache\":\"hostile\",\"store_path_hashes\":[\"" + good, "application/json"),
            ("trailing-garbage", Rule.Rejected, $"{{\"cache\":\"hostile\",\"store_path_hashes\":[]}}x", "application/json"),
            ("nested-100000", Rule.Rejected, "{\"cache\":\"hostile\",\"store_path_hashes\":" + new string('[', 100_000) + new string(']', 100_000) + "}", "application/json"),
            ("no-content-type", Rule.Rejected, "{\"cache\":\"hostile\",\"store_path_hashes\":[]}", ""),
            ("content-type-text", Rule.Rejected, "{\"cache\":\"hostile\",\"store_path_hashes\":[]}", "text/plain"),
            ("content-type-garbage", Rule.Rejected, "{\"cache\":\"hostile\",\"store_path_hashes\":[]}", ";;;/"),
            ("duplicate-cache-key", Rule.NoServerError, "{\"cache\":\"nope\",\"cache\":\"hostile\",\"store_path_hashes\":[]}", "application/json"),
            ("missing-cache", Rule.Rejected, $"{{\"store_path_hashes\":[\"{good}\"]}}", "application/json"),
            ("missing-hashes", Rule.Rejected, "{\"cache\":\"hostile\"}", "application/json"),
            ("hashes-null", Rule.Rejected, "{\"cache\":\"hostile\",\"store_path_hashes\":null}", "application/json"),
            ("hashes-string", Rule.Rejected, $"{{\"cache\":\"hostile\",\"store_path_hashes\":\"{good}\"}}", "application/json"),
            ("hashes-object", Rule.Rejected, "{\"cache\":\"hostile\",\"store_path_hashes\":{}}", "application/json"),
            ("cache-nonexistent", Rule.Rejected, "{\"cache\":\"no-such-cache\",\"store_path_hashes\":[]}", "application/json"),
        };
        foreach (var (label, value) in new[]
        {
            ("null", "null"), ("number", "1"), ("bool", "true"), ("object", "{}"), ("array", "[]"), ("empty", "\"\""),
            ("31-chars", Quote(good[..31])), ("33-chars", Quote(good + "0")), ("uppercase", Quote(good.ToUpperInvariant())),
            ("letter-e", Quote("e" + good[1..])), ("with-name", Quote(good + "-name")), ("nul", Quote(good[..31] + "\0")),
            ("full-store-path", Quote($"/nix/store/{good}-x")), ("unicode", Quote(new string('\u00e9', 32))),
        })
        {
            bodies.Add(($"hash-{label}", Rule.Rejected, $"{{\"cache\":\"hostile\",\"store_path_hashes\":[{value}]}}", "application/json"));
            bodies.Add(($"hash-{label}-after-a-valid-one", Rule.Rejected, $"{{\"cache\":\"hostile\",\"store_path_hashes\":[\"{good}\",{value}]}}", "application/json"));
        }
        foreach (var (label, value) in new[]
        {
            ("null", "null"), ("number", "1"), ("empty", "\"\""), ("leading-dash", "\"-x\""), ("51-chars", Quote(new string('c', 51))),
            ("wildcard", "\"*\""), ("slash", "\"hostile/x\""), ("dotdot", "\"..\""), ("array", "[\"hostile\"]"),
        })
        {
            bodies.Add(($"cache-{label}", Rule.Rejected, $"{{\"cache\":{value},\"store_path_hashes\":[]}}", "application/json"));
        }
        foreach (var (name, rule, body, contentType) in bodies)
        {
            yield return new HostileCase($"missing-paths/{name}", rule, ctx => Json("POST", path, body, ctx.RootToken, contentType));
        }
    }

    private static IEnumerable<HostileCase> CacheConfigCases()
    {
        var create = new List<(string Name, Rule Rule, Func<JsonFields, JsonFields> Change)>
        {
            ("control-valid", Rule.Accepted, f => f),
            ("control-public", Rule.Accepted, f => f.Set("is_public", "true")),
            ("unknown-keys", Rule.Accepted, f => f.Set("x", "{}")),
            ("keypair-lowercase", Rule.Rejected, f => f.Set("keypair", "\"generate\"")),
            ("keypair-null", Rule.Rejected, f => f.Set("keypair", "null")),
            ("keypair-number", Rule.Rejected, f => f.Set("keypair", "1")),
            ("keypair-garbage", Rule.Rejected, f => f.Set("keypair", "{\"Keypair\":\"garbage\"}")),
            ("keypair-empty", Rule.Rejected, f => f.Set("keypair", "{\"Keypair\":\"\"}")),
            ("keypair-no-name", Rule.Rejected, f => f.Set("keypair", "{\"Keypair\":\":" + Convert.ToBase64String(new byte[64]) + "\"}")),
            ("keypair-63-bytes", Rule.Rejected, f => f.Set("keypair", "{\"Keypair\":\"k:" + Convert.ToBase64String(new byte[63]) + "\"}")),
            ("keypair-65-bytes", Rule.Rejected, f => f.Set("keypair", "{\"Keypair\":\"k:" + Convert.ToBase64String(new byte[65]) + "\"}")),
            ("keypair-bad-base64", Rule.Rejected, f => f.Set("keypair", "{\"Keypair\":\"k:!!!!\"}")),
            ("keypair-mismatched-halves", Rule.NoServerError, f => f.Set("keypair", "{\"Keypair\":\"k:" + Convert.ToBase64String([.. Enumerable.Range(0, 64).Select(i => (byte)i)]) + "\"}")),
            ("keypair-unknown-variant", Rule.Rejected, f => f.Set("keypair", "{\"Other\":1}")),
            ("keypair-two-variants", Rule.Rejected, f => f.Set("keypair", "{\"Keypair\":\"x\",\"Generate\":null}")),
            ("is_public-string", Rule.Rejected, f => f.Set("is_public", "\"true\"")),
            ("is_public-number", Rule.Rejected, f => f.Set("is_public", "1")),
            ("is_public-null", Rule.Rejected, f => f.Set("is_public", "null")),
            ("priority-2^31", Rule.Rejected, f => f.Set("priority", "2147483648")),
            ("priority-below-i32-min", Rule.Rejected, f => f.Set("priority", "-2147483649")),
            ("priority-float", Rule.Rejected, f => f.Set("priority", "1.5")),
            ("priority-1e30", Rule.Rejected, f => f.Set("priority", "1e30")),
            ("priority-string", Rule.Rejected, f => f.Set("priority", "\"41\"")),
            ("priority-i32-min", Rule.NoServerError, f => f.Set("priority", "-2147483648")),
            ("store_dir-empty", Rule.NoServerError, f => f.Set("store_dir", "\"\"")),
            ("store_dir-newline", Rule.NoServerError, f => f.Set("store_dir", "\"/nix/store\\nInjected: x\"")),
            ("store_dir-huge", Rule.NoServerError, f => f.Set("store_dir", Quote("/" + new string('s', 100_000)))),
            ("store_dir-number", Rule.Rejected, f => f.Set("store_dir", "1")),
            ("upstream-string", Rule.Rejected, f => f.Set("upstream_cache_key_names", "\"x\"")),
            ("upstream-numbers", Rule.Rejected, f => f.Set("upstream_cache_key_names", "[1]")),
            ("upstream-null", Rule.Rejected, f => f.Set("upstream_cache_key_names", "null")),
            ("upstream-10000", Rule.NoServerError, f => f.Set("upstream_cache_key_names", "[" + string.Join(',', Enumerable.Range(0, 10000).Select(i => $"\"k{i}\"")) + "]")),
        };
        foreach (var key in new[] { "keypair", "is_public", "store_dir", "priority", "upstream_cache_key_names" })
        {
            create.Add(($"missing-{key}", Rule.Rejected, f => f.Remove(key)));
        }
        var index = 0;
        foreach (var (name, rule, change) in create)
        {
            var cache = $"hc-{index++:D3}";
            yield return new HostileCase($"cache-create/{name}", rule, ctx => Json("POST", $"/_api/v1/cache-config/{cache}", change(NewCache()).Render(), ctx.RootToken));
        }
        foreach (var (name, rule, body, contentType) in new[]
        {
            ("not-json", Rule.Rejected, "keypair=Generate", "application/json"),
            ("json-array", Rule.Rejected, "[]", "application/json"),
            ("no-content-type", Rule.Rejected, NewCache().Render(), ""),
            ("nested-100000", Rule.Rejected, "{\"keypair\":" + new string('[', 100_000) + new string(']', 100_000) + "}", "application/json"),
            ("over-2mib", Rule.Rejected, NewCache().Set("store_dir", Quote(new string('s', 3 << 20))).Render(), "application/json"),
        })
        {
            var cache = $"hc-{index++:D3}";
            yield return new HostileCase($"cache-create/{name}", rule, ctx => Json("POST", $"/_api/v1/cache-config/{cache}", body, ctx.RootToken, contentType));
        }
        foreach (var (name, cache) in new[] { ("name-existing", HostileContext.Cache), ("name-invalid", "-x"), ("name-51-chars", new string('c', 51)), ("name-wildcard", "a*") })
        {
            yield return new HostileCase($"cache-create/{name}", Rule.Rejected, ctx => Json("POST", $"/_api/v1/cache-config/{cache}", NewCache().Render(), ctx.RootToken));
        }

        var patches = new (string Name, Rule Rule, string Body)[]
        {
            ("empty-object", Rule.Rejected, "{}"),
            ("only-unknown-keys", Rule.Rejected, "{\"x\":1}"),
            ("only-ignored-keys", Rule.Rejected, "{\"public_key\":\"x:y\",\"api_endpoint\":\"http://evil/\"}"),
            ("retention-global", Rule.Accepted, "{\"retention_period\":\"Global\"}"),
            ("retention-period-0", Rule.Accepted, "{\"retention_period\":{\"Period\":0}}"),
            ("retention-period-negative", Rule.Rejected, "{\"retention_period\":{\"Period\":-1}}"),
            ("retention-period-2^31", Rule.Rejected, "{\"retention_period\":{\"Period\":2147483648}}"),
            ("retention-period-2^32", Rule.Rejected, "{\"retention_period\":{\"Period\":4294967296}}"),
            ("retention-period-1e30", Rule.Rejected, "{\"retention_period\":{\"Period\":1e30}}"),
            ("retention-period-float", Rule.Rejected, "{\"retention_period\":{\"Period\":1.5}}"),
            ("retention-period-string", Rule.Rejected, "{\"retention_period\":{\"Period\":\"1\"}}"),
            ("retention-period-null", Rule.Rejected, "{\"retention_period\":{\"Period\":null}}"),
            ("retention-unknown-variant", Rule.Rejected, "{\"retention_period\":{\"Forever\":1}}"),
            ("retention-lowercase", Rule.Rejected, "{\"retention_period\":\"global\"}"),
            ("priority-overflow", Rule.Rejected, "{\"priority\":99999999999}"),
            ("priority-valid", Rule.Accepted, "{\"priority\":7}"),
            ("is_public-string", Rule.Rejected, "{\"is_public\":\"false\"}"),
            ("keypair-garbage", Rule.Rejected, "{\"keypair\":{\"Keypair\":\"garbage\"}}"),
            ("keypair-generate", Rule.Accepted, "{\"keypair\":\"Generate\"}"),
            ("upstream-numbers", Rule.Rejected, "{\"upstream_cache_key_names\":[1,2]}"),
            ("not-json", Rule.Rejected, "{{{"),
            ("json-null", Rule.Rejected, "null"),
        };
        foreach (var (name, rule, body) in patches)
        {
            yield return new HostileCase($"cache-configure/{name}", rule, ctx => Json("PATCH", $"/_api/v1/cache-config/{HostileContext.PatchCache}", body, ctx.RootToken));
        }
        foreach (var (name, cache) in new[] { ("nonexistent", "no-such-cache"), ("invalid-name", "-x"), ("wildcard", "*"), ("51-chars", new string('c', 51)) })
        {
            yield return new HostileCase($"cache-destroy/{name}", Rule.Rejected, ctx => new HostileRequest("DELETE", $"/_api/v1/cache-config/{cache}").With("Authorization", "bearer " + ctx.RootToken));
            yield return new HostileCase($"cache-configure/cache-{name}", Rule.Rejected, ctx => Json("PATCH", $"/_api/v1/cache-config/{cache}", "{\"priority\":1}", ctx.RootToken));
        }
    }

    private static JsonFields NewCache() => new JsonFields()
        .Set("keypair", "\"Generate\"")
        .Set("is_public", "false")
        .Set("store_dir", "\"/nix/store\"")
        .Set("priority", "41")
        .Set("upstream_cache_key_names", "[\"cache.nixos.org-1\"]");
}
