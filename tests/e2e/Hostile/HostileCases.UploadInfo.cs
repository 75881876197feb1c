using System.Text;
using static Vega.Lite.E2E.Hostile.Requests;

namespace Vega.Lite.E2E.Hostile;

/// <summary><c>PUT /_api/v1/upload-path</c>: claims that do not match the body, broken upload-info JSON, broken preambles.</summary>
internal static partial class HostileCases
{
    private const string Injected = "Injected: by a hostile upload";

    /// <summary>A body that differs from what its upload info claims, for a new NAR and for one the server already has.</summary>
    private static IEnumerable<HostileCase> UploadMismatchCases()
    {
        var variants = new (string Name, Rule Rule, Func<HostileContext, string, (JsonFields Info, byte[] Body)> Make)[]
        {
            ("new/claim-size-plus-1", Rule.Rejected, (_, n) => Fresh(n, (i, nar) => i.Set("nar_size", (nar.Length + 1).ToString()))),
            ("new/claim-size-minus-1", Rule.Rejected, (_, n) => Fresh(n, (i, nar) => i.Set("nar_size", (nar.Length - 1).ToString()))),
            ("new/claim-size-0", Rule.Rejected, (_, n) => Fresh(n, (i, _) => i.Set("nar_size", "0"))),
            ("new/claim-size-2^53", Rule.Rejected, (_, n) => Fresh(n, (i, _) => i.Set("nar_size", "9007199254740992"))),
            ("new/claim-size-i64-max", Rule.Rejected, (_, n) => Fresh(n, (i, _) => i.Set("nar_size", long.MaxValue.ToString()))),
            ("new/claim-size-u64-max", Rule.Rejected, (_, n) => Fresh(n, (i, _) => i.Set("nar_size", ulong.MaxValue.ToString()))),
            ("new/claim-size-2^64", Rule.Rejected, (_, n) => Fresh(n, (i, _) => i.Set("nar_size", "18446744073709551616"))),
            ("new/claim-other-hash", Rule.Rejected, (_, n) => Fresh(n, (i, _) => i.Set("nar_hash", Quote(HexHash(Encoding.UTF8.GetBytes("other")))))),
            ("new/claim-zero-hash", Rule.Rejected, (_, n) => Fresh(n, (i, _) => i.Set("nar_hash", Quote("sha256:" + new string('0', 64))))),
            ("new/body-truncated-half", Rule.Rejected, (_, n) => Cut(Fresh(n), 0.5)),
            ("new/body-missing-last-byte", Rule.Rejected, (_, n) => Cut(Fresh(n), -1)),
            ("new/body-empty", Rule.Rejected, (_, n) => Cut(Fresh(n), 0)),
            ("new/body-extra-bytes", Rule.NoServerError, (_, n) => Extra(Fresh(n))),
            ("new/body-other-nar-same-length", Rule.Rejected, (_, n) => (Fresh(n).Info, UniqueNar(n + "?"))),
            ("new/claim-nix32-hash", Rule.Accepted, (_, n) => Fresh(n, (i, nar) => i.Set("nar_hash",
                Quote("sha256:" + Core.Nix.Nix32.Encode(System.Security.Cryptography.SHA256.HashData(nar)))))),
            ("existing/valid", Rule.Accepted, (c, n) => Existing(c, n)),
            ("existing/body-truncated-half", Rule.Rejected, (c, n) => Cut(Existing(c, n), 0.5)),
            ("existing/body-empty", Rule.Rejected, (c, n) => Cut(Existing(c, n), 0)),
            ("existing/body-extra-bytes", Rule.Rejected, (c, n) => Extra(Existing(c, n))),
            ("existing/body-other-bytes-same-length", Rule.Rejected, (c, n) => (Existing(c, n).Info, Flip(c.BaseNar))),
            ("existing/claim-size-plus-1", Rule.Rejected, (c, n) => (Existing(c, n).Info.Set("nar_size", (c.BaseNar.Length + 1).ToString()), c.BaseNar)),
            ("existing/claim-size-0", Rule.Rejected, (c, n) => (Existing(c, n).Info.Set("nar_size", "0"), c.BaseNar)),
        };
        foreach (var (name, rule, make) in variants)
        {
            foreach (var preamble in new[] { false, true })
            {
                var caseName = $"upload-claim/{(preamble ? "preamble" : "header")}/{name}";
                var hash = StorePathHash(caseName);
                yield return new HostileCase(caseName, rule, ctx =>
                {
                    var (info, body) = make(ctx, caseName);
                    return UploadPath(info.Set("store_path_hash", Quote(hash)).Set("store_path", Quote($"/nix/store/{hash}-hostile")).Render(), body, preamble, ctx.RootToken);
                })
                {
                    Stores = true,
                    ProbeHash = hash,
                };
            }
        }
    }

    private static (JsonFields Info, byte[] Body) Fresh(string seed, Action<JsonFields, byte[]>? change = null)
    {
        var nar = UniqueNar(seed);
        var info = UploadInfo(StorePathHash(seed), nar);
        change?.Invoke(info, nar);
        return (info, nar);
    }

    private static (JsonFields Info, byte[] Body) Existing(HostileContext ctx, string seed) => (UploadInfo(StorePathHash(seed), ctx.BaseNar), ctx.BaseNar);

    private static (JsonFields Info, byte[] Body) Cut((JsonFields Info, byte[] Body) upload, double fraction) =>
        (upload.Info, fraction < 0 ? upload.Body[..^1] : upload.Body[..(int)(upload.Body.Length * fraction)]);

    private static (JsonFields Info, byte[] Body) Extra((JsonFields Info, byte[] Body) upload) => (upload.Info, [.. upload.Body, .. "more bytes"u8]);

    private static byte[] Flip(byte[] bytes)
    {
        var copy = bytes.ToArray();
        copy[^10] ^= 1;
        return copy;
    }

    /// <summary>Upload-info JSON with a key missing, of the wrong type, or with hostile values; in header and preamble mode.</summary>
    private static IEnumerable<HostileCase> UploadInfoCases()
    {
        var mutations = new List<(string Name, Rule Rule, Func<JsonFields, JsonFields> Change)>();
        foreach (var key in new[] { "cache", "store_path_hash", "store_path", "references", "sigs", "nar_hash", "nar_size" })
        {
            mutations.Add(($"missing-{key}", Rule.Rejected, i => i.Remove(key)));
            foreach (var (label, raw) in new[] { ("null", "null"), ("number", "12"), ("bool", "true"), ("object", "{}") })
            {
                mutations.Add(($"{key}-{label}", Rule.Rejected, i => i.Set(key, raw)));
            }
        }
        foreach (var key in new[] { "cache", "store_path_hash", "nar_hash", "nar_size" })
        {
            mutations.Add(($"{key}-array-of-strings", Rule.Rejected, i => i.Set(key, "[\"a\"]")));
        }
        foreach (var key in new[] { "system", "deriver", "ca" })
        {
            mutations.Add(($"missing-{key}", Rule.NoServerError, i => i.Remove(key)));
            mutations.Add(($"{key}-number", Rule.Rejected, i => i.Set(key, "12")));
            mutations.Add(($"{key}-object", Rule.Rejected, i => i.Set(key, "{}")));
            mutations.Add(($"{key}-huge-string", Rule.NoServerError, i => i.Set(key, Quote(new string('x', 100_000)))));
        }
        foreach (var (label, cache) in new[]
        {
            ("empty", ""), ("leading-dash", "-x"), ("space", "a b"), ("51-chars", new string('c', 51)), ("underscore-api", "_api"),
            ("unicode", "caf\u00e9"), ("dotdot-slash", "../hostile"), ("slash", "hostile/x"), ("nul", "hostile\0"), ("wildcard", "*"),
            ("nonexistent", "no-such-cache"), ("newline", "hostile\n"),
        })
        {
            mutations.Add(($"cache-{label}", Rule.Rejected, i => i.Set("cache", Quote(cache))));
        }
        foreach (var (label, hash) in new[]
        {
            ("31-chars", new string('0', 31)), ("33-chars", new string('0', 33)), ("uppercase", new string('A', 32)), ("letter-e", new string('e', 32)),
            ("empty", ""), ("dotdot", "../../../../../../../etc/passwd00"), ("nul", new string('0', 31) + "\0"), ("unicode", new string('\u00e9', 32)),
        })
        {
            mutations.Add(($"store_path_hash-{label}", Rule.Rejected, i => i.Set("store_path_hash", Quote(hash))));
        }
        foreach (var (label, hash) in new[]
        {
            ("md5", "md5:" + new string('0', 32)), ("sha512", "sha512:" + new string('0', 128)), ("sha1", "sha1:" + new string('0', 40)),
            ("hex-63", "sha256:" + new string('0', 63)), ("hex-65", "sha256:" + new string('0', 65)), ("no-prefix", new string('0', 64)),
            ("empty-digest", "sha256:"), ("empty", ""), ("sri", "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
            ("nix32-bad-char", "sha256:" + new string('e', 52)), ("hex-non-hex", "sha256:" + new string('g', 64)),
            ("colon-only", ":"), ("double-prefix", "sha256:sha256:" + new string('0', 64)),
        })
        {
            mutations.Add(($"nar_hash-{label}", Rule.Rejected, i => i.Set("nar_hash", Quote(hash))));
        }
        foreach (var (label, raw) in new[]
        {
            ("negative", "-1"), ("i64-min", long.MinValue.ToString()), ("float", "1.5"), ("exponent", "1e3"), ("string", "\"128\""),
            ("huge-exponent", "1e400"), ("u64-max-plus-1", "18446744073709551616"), ("leading-zero", "0128"), ("nan", "NaN"),
        })
        {
            mutations.Add(($"nar_size-{label}", Rule.Rejected, i => i.Set("nar_size", raw)));
        }
        // Values the server stores and serves again: whatever it does with them, no line may be injected into the narinfo.
        foreach (var (key, raw) in new[]
        {
            ("store_path", Quote("/nix/store/x-y\n" + Injected)), ("deriver", Quote("x.drv\n" + Injected)), ("ca", Quote("text:sha256:x\n" + Injected)),
            ("references", $"[{Quote("00000000000000000000000000000000-a\n" + Injected)}]"), ("sigs", $"[{Quote("k:sig\n" + Injected)}]"),
        })
        {
            mutations.Add(($"{key}-newline-injection", Rule.NoServerError, i => i.Set(key, raw)));
        }
        foreach (var (label, raw) in new[]
        {
            ("etc-passwd", Quote("/etc/passwd")), ("relative", Quote("../../etc/passwd")), ("empty", Quote("")),
            ("huge", Quote("/nix/store/" + new string('a', 200_000))), ("nul", Quote("/nix/store/a\0b")),
        })
        {
            mutations.Add(($"store_path-{label}", Rule.NoServerError, i => i.Set("store_path", raw)));
        }
        mutations.Add(("references-10000", Rule.NoServerError, i => i.Set("references",
            "[" + string.Join(',', Enumerable.Range(0, 10000).Select(n => Quote($"{StorePathHash("ref" + n)}-r"))) + "]")));
        mutations.Add(("references-invalid-names", Rule.NoServerError, i => i.Set("references", "[\"\",\"/\",\"..\",\"x\"]")));
        mutations.Add(("sigs-1000-garbage", Rule.NoServerError, i => i.Set("sigs", "[" + string.Join(',', Enumerable.Repeat("\"k:!!!\"", 1000)) + "]")));
        mutations.Add(("unknown-keys", Rule.Accepted, i => i.Set("extra", "{\"deep\":[1,2,3]}").Set("another", "null")));
        mutations.Add(("duplicate-cache-key", Rule.NoServerError, i => i.Set("cache", $"{Quote(HostileContext.Cache)},\"cache\":\"other\"")));

        foreach (var (name, rule, change) in mutations)
        {
            var headerSafe = !name.Contains("huge") && !name.Contains("nul") && !name.Contains("newline") && !name.Contains("unicode")
                && !name.Contains("10000") && !name.Contains("1000");
            foreach (var preamble in headerSafe ? new[] { false, true } : [true])
            {
                var caseName = $"upload-info/{(preamble ? "preamble" : "header")}/{name}";
                var hash = StorePathHash(caseName);
                yield return new HostileCase(caseName, rule, ctx =>
                {
                    var nar = UniqueNar(caseName);
                    return UploadPath(change(UploadInfo(hash, nar)).Render(), nar, preamble, ctx.RootToken);
                })
                {
                    Stores = true,
                    ProbeHash = hash,
                    NarInfoMustNotContain = name.Contains("injection") ? Injected : null,
                };
            }
        }

        // Not JSON, or not the JSON object expected; always in a preamble (some are not valid header text).
        var rng = new Random(Seed + 7);
        var documents = new List<(string Name, Func<string, byte[], byte[]> Json)>
        {
            ("empty", (_, _) => []),
            ("null", (_, _) => "null"u8.ToArray()),
            ("array", (_, _) => "[]"u8.ToArray()),
            ("string", (_, _) => "\"x\""u8.ToArray()),
            ("number", (_, _) => "1"u8.ToArray()),
            ("bom-prefixed", (h, nar) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(UploadInfo(h, nar).Render())]),
            ("trailing-garbage", (h, nar) => Encoding.UTF8.GetBytes(UploadInfo(h, nar).Render() + "}garbage")),
            ("trailing-comma", (h, nar) => Encoding.UTF8.GetBytes(UploadInfo(h, nar).Render()[..^1] + ",}")),
            ("single-quotes", (h, nar) => Encoding.UTF8.GetBytes(UploadInfo(h, nar).Render().Replace('"', '\''))),
            ("comment", (h, nar) => Encoding.UTF8.GetBytes("/* c */" + UploadInfo(h, nar).Render())),
            ("lone-surrogate", (h, nar) => Encoding.UTF8.GetBytes(UploadInfo(h, nar).Set("deriver", "\"\\ud800\"").Render())),
            ("invalid-utf8-in-deriver", (h, nar) => [.. Encoding.UTF8.GetBytes(UploadInfo(h, nar).Remove("deriver").Render()[..^1] + ",\"deriver\":\""), 0xC3, 0x28, .. "\"}"u8]),
            ("nested-100000-arrays", (_, _) => Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000))),
            ("nested-100000-objects", (_, _) => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 100_000)) + "1" + new string('}', 100_000))),
            ("truncated-half", (h, nar) => { var t = UploadInfo(h, nar).Render(); return Encoding.UTF8.GetBytes(t[..(t.Length / 2)]); }),
            ("nul-bytes", (_, _) => new byte[64]),
        };
        for (var i = 0; i < 16; i++)
        {
            var bytes = RandomBytes(rng, rng.Next(1, 400));
            documents.Add(($"random-{i:D2}", (_, _) => bytes()));
        }
        for (var i = 0; i < 16; i++)
        {
            var position = rng.NextDouble();
            var value = (byte)rng.Next(256);
            documents.Add(($"byte-mutated-{i:D2}", (h, nar) =>
            {
                var json = Encoding.UTF8.GetBytes(UploadInfo(h, nar).Render());
                json[(int)(position * json.Length)] = value;
                return json;
            }
            ));
        }
        foreach (var (name, json) in documents)
        {
            var caseName = $"upload-info/document/{name}";
            var hash = StorePathHash(caseName);
            yield return new HostileCase(caseName, name.StartsWith("byte-mutated", StringComparison.Ordinal) ? Rule.NoServerError : Rule.Rejected, ctx =>
            {
                var nar = UniqueNar(caseName);
                var info = json(hash, nar);
                return new HostileRequest("PUT", "/_api/v1/upload-path") { Body = [.. info, .. nar], Chunked = true }
                    .With("X-Attic-Nar-Info-Preamble-Size", info.Length.ToString())
                    .With("Authorization", "bearer " + ctx.RootToken);
            })
            {
                Stores = true,
                ProbeHash = hash,
            };
        }
    }

    /// <summary>The preamble-size header and the framing of info and NAR in the body.</summary>
    private static IEnumerable<HostileCase> PreambleCases()
    {
        var sizes = new (string Name, Func<int, string> Size, Rule Rule)[]
        {
            ("empty", _ => "", Rule.Rejected), ("space-padded", n => $" {n} ", Rule.NoServerError), ("plus-sign", n => "+" + n, Rule.Rejected),
            ("negative", _ => "-1", Rule.Rejected), ("zero", _ => "0", Rule.Rejected), ("exponent", _ => "1e3", Rule.Rejected),
            ("hex", _ => "0x10", Rule.Rejected), ("u64-max", _ => ulong.MaxValue.ToString(), Rule.Rejected),
            ("u64-max-plus-1", _ => "18446744073709551616", Rule.Rejected), ("20-nines", _ => new string('9', 20), Rule.Rejected),
            ("over-max-nar-info-size", _ => "1048577", Rule.Rejected), ("one-too-small", n => (n - 1).ToString(), Rule.Rejected),
            ("one-too-large", n => (n + 1).ToString(), Rule.Rejected), ("double-size", n => (2 * n).ToString(), Rule.Rejected),
            ("larger-than-body", _ => "100000", Rule.Rejected), ("two-values", n => $"{n}, {n}", Rule.Rejected), ("fraction", n => $"{n}.0", Rule.Rejected),
            ("leading-zeros", n => "000" + n, Rule.NoServerError), ("unicode-digits", _ => "\u0661\u0662", Rule.Rejected),
        };
        foreach (var (name, size, rule) in sizes)
        {
            var caseName = $"preamble/size-{name}";
            var hash = StorePathHash(caseName);
            var raw = name == "unicode-digits";
            yield return new HostileCase(caseName, rule, ctx =>
            {
                var nar = UniqueNar(caseName);
                var info = Encoding.UTF8.GetBytes(UploadInfo(hash, nar).Render());
                if (raw)
                {
                    return Raw(ctx, "PUT /_api/v1/upload-path HTTP/1.1",
                        [Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("X-Attic-Nar-Info-Preamble-Size: " + size(info.Length))), "Authorization: bearer " + ctx.RootToken],
                        [.. info, .. nar]);
                }
                return new HostileRequest("PUT", "/_api/v1/upload-path") { Body = [.. info, .. nar], Chunked = true }
                    .With("X-Attic-Nar-Info-Preamble-Size", size(info.Length))
                    .With("Authorization", "bearer " + ctx.RootToken);
            })
            {
                Stores = true,
                ProbeHash = hash,
                ProtocolLevel = raw,
            };
        }

        var framings = new (string Name, Rule Rule, Func<HostileContext, string, HostileRequest> Make)[]
        {
            ("neither-header", Rule.Rejected, (c, h) => new HostileRequest("PUT", "/_api/v1/upload-path") { Body = UniqueNar(h), Chunked = true }.With("Authorization", "bearer " + c.RootToken)),
            ("header-empty", Rule.Rejected, (c, h) => new HostileRequest("PUT", "/_api/v1/upload-path") { Body = UniqueNar(h), Chunked = true }
                .With("X-Attic-Nar-Info", "").With("Authorization", "bearer " + c.RootToken)),
            ("header-2mib", Rule.Rejected, (c, h) => new HostileRequest("PUT", "/_api/v1/upload-path") { Body = UniqueNar(h), Chunked = true }
                .With("X-Attic-Nar-Info", UploadInfo(StorePathHash(h), UniqueNar(h)).Set("deriver", Quote(new string('d', 2 << 20))).Render())
                .With("Authorization", "bearer " + c.RootToken)),
            ("preamble-1mib-info", Rule.NoServerError, (c, h) => UploadPath(UploadInfo(StorePathHash(h), UniqueNar(h))
                .Set("deriver", Quote(new string('d', 1_000_000))).Render(), UniqueNar(h), true, c.RootToken)),
            ("preamble-over-1mib-info", Rule.Rejected, (c, h) => UploadPath(UploadInfo(StorePathHash(h), UniqueNar(h))
                .Set("deriver", Quote(new string('d', 1_048_576))).Render(), UniqueNar(h), true, c.RootToken)),
            ("both-headers-preamble-wins-valid", Rule.Accepted, (c, h) => UploadPath(UploadInfo(StorePathHash(h), UniqueNar(h)).Render(), UniqueNar(h), true, c.RootToken)
                .With("X-Attic-Nar-Info", "not json at all")),
            ("both-headers-preamble-broken", Rule.Rejected, (c, h) => new HostileRequest("PUT", "/_api/v1/upload-path") { Body = [.. "{{{{"u8, .. UniqueNar(h)], Chunked = true }
                .With("X-Attic-Nar-Info-Preamble-Size", "4").With("X-Attic-Nar-Info", UploadInfo(StorePathHash(h), UniqueNar(h)).Render())
                .With("Authorization", "bearer " + c.RootToken)),
            ("preamble-and-no-nar", Rule.Rejected, (c, h) => { var info = Encoding.UTF8.GetBytes(UploadInfo(StorePathHash(h), UniqueNar(h)).Render());
                return new HostileRequest("PUT", "/_api/v1/upload-path") { Body = info, Chunked = true }
                    .With("X-Attic-Nar-Info-Preamble-Size", info.Length.ToString()).With("Authorization", "bearer " + c.RootToken); }),
            ("preamble-cut-by-eof", Rule.Rejected, (c, h) => { var info = Encoding.UTF8.GetBytes(UploadInfo(StorePathHash(h), UniqueNar(h)).Render());
                return new HostileRequest("PUT", "/_api/v1/upload-path") { Body = info[..(info.Length / 2)], Chunked = true }
                    .With("X-Attic-Nar-Info-Preamble-Size", info.Length.ToString()).With("Authorization", "bearer " + c.RootToken); }),
            ("two-preamble-size-headers", Rule.NoServerError, (c, h) => { var info = Encoding.UTF8.GetBytes(UploadInfo(StorePathHash(h), UniqueNar(h)).Render());
                return Raw(c, "PUT /_api/v1/upload-path HTTP/1.1", [$"X-Attic-Nar-Info-Preamble-Size: {info.Length}", "X-Attic-Nar-Info-Preamble-Size: 3",
                    "Authorization: bearer " + c.RootToken], [.. info, .. UniqueNar(h)]); }),
            ("header-not-utf8", Rule.NoServerError, (c, h) => Raw(c, "PUT /_api/v1/upload-path HTTP/1.1",
                ["X-Attic-Nar-Info: {\"cache\":\"\u00ff\u00fe\"}", "Authorization: bearer " + c.RootToken], UniqueNar(h))),
            ("header-with-nul", Rule.NoServerError, (c, h) => Raw(c, "PUT /_api/v1/upload-path HTTP/1.1",
                ["X-Attic-Nar-Info: {\"cache\":\"a\0\"}", "Authorization: bearer " + c.RootToken], UniqueNar(h))),
        };
        foreach (var (name, rule, make) in framings)
        {
            var caseName = $"preamble/{name}";
            yield return new HostileCase(caseName, rule, ctx => make(ctx, caseName))
            {
                Stores = true,
                ProbeHash = StorePathHash(caseName),
                ProtocolLevel = name.Contains("not-utf8") || name.Contains("nul") || name.Contains("two-preamble"),
            };
        }
    }
}
