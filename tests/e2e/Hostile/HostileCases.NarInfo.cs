using System.Text;
using static Vega.Lite.E2E.Hostile.Requests;

namespace Vega.Lite.E2E.Hostile;

/// <summary>
/// <c>PUT /{cache}/{hash}.narinfo</c> the way <c>nix copy</c> sends it, for the NAR PUT at start: every field missing,
/// malformed or lying, broken line structure, and seeded byte-level mutations. Each case uses its own store path.
/// </summary>
internal static partial class HostileCases
{
    private static IEnumerable<HostileCase> NarInfoCases()
    {
        var mutations = new List<(string Name, Rule Rule, Func<HostileContext, string, List<KeyValuePair<string, string>>, byte[]> Body)>();

        void Field(string name, Rule rule, string key, string? value) => mutations.Add((name, rule, (_, _, lines) =>
        {
            var index = lines.FindIndex(l => l.Key == key);
            if (value is null)
            {
                lines.RemoveAt(index);
            }
            else if (index >= 0)
            {
                lines[index] = new(key, value);
            }
            else
            {
                lines.Add(new(key, value));
            }
            return Render(lines);
        }
        ));

        foreach (var key in new[] { "StorePath", "URL", "NarHash", "NarSize" })
        {
            Field($"missing-{key}", Rule.Rejected, key, null);
            Field($"empty-{key}", Rule.Rejected, key, "");
        }
        foreach (var key in new[] { "Compression", "FileHash", "FileSize", "References" })
        {
            Field($"missing-{key}", Rule.NoServerError, key, null);
        }
        foreach (var (label, value) in new[]
        {
            ("other-hash", "/nix/store/00000000000000000000000000000000-hostile"), ("other-store-dir", "/gnu/store/{H}-hostile"),
            ("no-name", "/nix/store/{H}"), ("name-with-slash", "/nix/store/{H}-a/b"), ("relative", "nix/store/{H}-hostile"),
            ("dotdot", "/nix/store/../../etc/{H}-passwd"), ("name-invalid-chars", "/nix/store/{H}-a b!"),
            ("name-212-chars", "/nix/store/{H}-" + new string('n', 212)), ("trailing-slash", "/nix/store/{H}-hostile/"),
            ("nul", "/nix/store/{H}-a\0b"), ("hash-uppercase", "/nix/store/{UH}-hostile"),
        })
        {
            mutations.Add(($"StorePath-{label}", Rule.Rejected, (_, hash, lines) =>
            {
                lines[0] = new("StorePath", value.Replace("{H}", hash).Replace("{UH}", hash.ToUpperInvariant()));
                return Render(lines);
            }
            ));
        }
        foreach (var (label, value) in new[]
        {
            ("dotdot", "nar/../{F}"), ("absolute-path", "/etc/passwd"), ("other-host", "http://evil.example/nar/{F}"), ("with-query", "nar/{F}?x=1"),
            ("not-uploaded", "nar/" + new string('0', 52) + ".nar"), ("other-extension", "nar/{F}.xz"), ("percent-dotdot", "nar/%2e%2e/{F}"),
            ("no-prefix", "{F}"), ("double-slash", "nar//{F}"), ("store-path-hash-url", "nar/{H}.nar"), ("file-url", "file:///etc/passwd"),
        })
        {
            mutations.Add(($"URL-{label}", Rule.Rejected, (ctx, hash, lines) =>
            {
                lines[1] = new("URL", value.Replace("{F}", ctx.BaseNarFile).Replace("{H}", hash));
                return Render(lines);
            }
            ));
        }
        foreach (var (label, value, rule) in new[]
        {
            ("wrong", "sha256:" + new string('0', 52), Rule.Rejected), ("md5", "md5:" + new string('0', 32), Rule.Rejected),
            ("sha512", "sha512:" + new string('0', 103), Rule.Rejected), ("sri", "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", Rule.NoServerError),
            ("bad-char", "sha256:" + new string('e', 52), Rule.Rejected), ("no-prefix", new string('0', 52), Rule.Rejected),
            ("too-long", "sha256:" + new string('0', 53), Rule.Rejected),
        })
        {
            Field($"NarHash-{label}", rule, "NarHash", value);
        }
        foreach (var (label, value) in new[]
        {
            ("zero", "0"), ("negative", "-1"), ("plus-one", "{N+1}"), ("i64-max", long.MaxValue.ToString()), ("u64-max", ulong.MaxValue.ToString()),
            ("2^64", "18446744073709551616"), ("not-a-number", "abc"), ("float", "1.5"), ("plus-sign", "+{N}"), ("hex", "0x10"),
            ("space-inside", "1 2"),
        })
        {
            mutations.Add(($"NarSize-{label}", Rule.Rejected, (ctx, _, lines) =>
            {
                lines[6] = new("NarSize", value.Replace("{N+1}", (ctx.BaseNar.Length + 1).ToString()).Replace("{N}", ctx.BaseNar.Length.ToString()));
                return Render(lines);
            }
            ));
        }
        Field("NarSize-leading-zeros", Rule.NoServerError, "NarSize", "000");
        Field("Compression-unknown", Rule.NoServerError, "Compression", "lolz");
        Field("Compression-xz-for-raw-nar", Rule.NoServerError, "Compression", "xz");
        Field("FileSize-negative", Rule.NoServerError, "FileSize", "-5");
        Field("FileHash-garbage", Rule.NoServerError, "FileHash", "garbage");
        Field("References-invalid", Rule.NoServerError, "References", "x y z");
        Field("References-with-slash", Rule.NoServerError, "References", "00000000000000000000000000000000-a/b");
        Field("References-5000", Rule.NoServerError, "References", string.Join(' ', Enumerable.Range(0, 5000).Select(i => StorePathHash("r" + i) + "-r")));
        Field("Deriver-garbage", Rule.NoServerError, "Deriver", "../../x");
        Field("Deriver-unknown", Rule.NoServerError, "Deriver", "unknown-deriver");
        Field("Sig-garbage", Rule.NoServerError, "Sig", "!!!");
        Field("Sig-no-colon", Rule.NoServerError, "Sig", "abc");
        Field("CA-garbage", Rule.NoServerError, "CA", "fixed:garbage");
        Field("System-garbage", Rule.NoServerError, "System", "\u00ff\u00fe");
        Field("unknown-key", Rule.NoServerError, "X-Unknown", "value");
        mutations.Add(("Sig-1000", Rule.NoServerError, (_, _, lines) => Render([.. lines, .. Enumerable.Range(0, 1000).Select(i => new KeyValuePair<string, string>("Sig", $"k{i}:AAAA"))])));
        mutations.Add(("StorePath-twice-different", Rule.NoServerError, (_, _, lines) => Render([.. lines, new("StorePath", "/nix/store/00000000000000000000000000000000-other")])));
        mutations.Add(("NarHash-twice-different", Rule.NoServerError, (_, _, lines) => Render([.. lines, new("NarHash", "sha256:" + new string('1', 52))])));
        mutations.Add(("crlf-line-ends", Rule.NoServerError, (_, _, lines) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Render(lines)).Replace("\n", "\r\n"))));
        mutations.Add(("no-final-newline", Rule.NoServerError, (_, _, lines) => Render(lines)[..^1]));
        mutations.Add(("no-space-after-colon", Rule.NoServerError, (_, _, lines) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Render(lines)).Replace(": ", ":"))));
        mutations.Add(("References-no-space-swallows-next-line", Rule.NoServerError, (_, _, lines) =>
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Render(lines)).Replace("References: \n", "References:\n"))));
        mutations.Add(("lines-reversed", Rule.NoServerError, (_, _, lines) => { lines.Reverse(); return Render(lines); }));
        mutations.Add(("empty-body", Rule.Rejected, (_, _, _) => []));
        mutations.Add(("only-newlines", Rule.Rejected, (_, _, _) => Encoding.ASCII.GetBytes(new string('\n', 100))));
        mutations.Add(("nul-bytes", Rule.Rejected, (_, _, _) => new byte[256]));
        mutations.Add(("not-utf8", Rule.NoServerError, (_, _, lines) => [.. Render(lines), 0xff, 0xfe, 0xfd, (byte)'\n']));
        mutations.Add(("json-body", Rule.Rejected, (_, _, _) => "{\"StorePath\":\"x\"}"u8.ToArray()));
        mutations.Add(("over-max-nar-info-size", Rule.Rejected, (_, _, lines) => [.. Render(lines), .. Encoding.ASCII.GetBytes("X: " + new string('x', 1 << 20) + "\n")]));
        mutations.Add(("one-line-500k", Rule.NoServerError, (_, _, lines) => [.. Render(lines), .. Encoding.ASCII.GetBytes("Long: " + new string('x', 500_000) + "\n")]));
        mutations.Add(("50000-lines", Rule.NoServerError, (_, _, lines) => [.. Render(lines), .. Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("K: v\n", 50_000)))]));

        var rng = new Random(Seed + 8);
        for (var i = 0; i < 60; i++)
        {
            var kind = i % 4;
            var position = rng.NextDouble();
            var value = (byte)rng.Next(256);
            var span = rng.Next(1, 40);
            mutations.Add(($"mutated-{i:D2}-{(kind switch { 0 => "byte", 1 => "deleted-span", 2 => "inserted-byte", _ => "duplicated-span" })}", Rule.NoServerError, (_, _, lines) =>
            {
                var body = Render(lines).ToList();
                var at = (int)(position * (body.Count - 1));
                switch (kind)
                {
                    case 0: body[at] = value; break;
                    case 1: body.RemoveRange(at, Math.Min(span, body.Count - at)); break;
                    case 2: body.Insert(at, value); break;
                    default: body.InsertRange(at, body.Skip(at).Take(span).ToList()); break;
                }
                return [.. body];
            }
            ));
        }

        foreach (var (name, rule, body) in mutations)
        {
            var caseName = $"narinfo/{name}";
            var hash = StorePathHash(caseName);
            yield return new HostileCase(caseName, rule, ctx => PutNarInfo(hash, body(ctx, hash, NarInfo(hash, ctx.BaseNarFile, ctx.BaseNar)), ctx.RootToken))
            {
                Stores = true,
                ProbeHash = hash,
            };
        }

        // The URL of the PUT itself, and how its body is sent.
        var targets = new (string Name, Rule Rule, Func<HostileContext, string, HostileRequest> Make)[]
        {
            ("control-valid", Rule.Accepted, (c, h) => PutNarInfo(h, Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken)),
            ("url-hash-31-chars", Rule.Rejected, (c, h) => PutNarInfo(h[..31], Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken)),
            ("url-hash-uppercase", Rule.Rejected, (c, h) => PutNarInfo(h.ToUpperInvariant(), Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken)),
            ("url-hash-differs-from-StorePath", Rule.Rejected, (c, h) => PutNarInfo(StorePathHash(h), Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken)),
            ("url-suffix-narinfo-x", Rule.Rejected, (c, h) => new HostileRequest("PUT", $"/{HostileContext.Cache}/{h}.narinfo.x")
                { Body = Render(NarInfo(h, c.BaseNarFile, c.BaseNar)) }.With("Authorization", "bearer " + c.RootToken)),
            ("url-cache-invalid", Rule.Rejected, (c, h) => PutNarInfo(h, Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken, cache: "-bad")),
            ("url-cache-nonexistent", Rule.Rejected, (c, h) => PutNarInfo(h, Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken, cache: "no-such-cache")),
            ("url-other-cache-nar-not-there", Rule.Rejected, (c, h) => PutNarInfo(h, Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken, cache: HostileContext.PatchCache)),
            ("content-encoding-gzip", Rule.Rejected, (c, h) => PutNarInfo(h, Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken).With("Content-Encoding", "gzip")),
            ("content-encoding-br", Rule.Rejected, (c, h) => PutNarInfo(h, Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken).With("Content-Encoding", "br")),
            ("content-encoding-list", Rule.Rejected, (c, h) => PutNarInfo(h, Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken).With("Content-Encoding", "identity, zstd")),
            ("chunked-body", Rule.Accepted, (c, h) => PutNarInfo(h, Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), c.RootToken) with { Chunked = true }),
            ("content-type-json", Rule.NoServerError, (c, h) => new HostileRequest("PUT", $"/{HostileContext.Cache}/{h}.narinfo")
                { Body = Render(NarInfo(h, c.BaseNarFile, c.BaseNar)) }.With("Content-Type", "application/json").With("Authorization", "bearer " + c.RootToken)),
            ("body-shorter-than-content-length", Rule.Rejected, (c, h) => Raw(c, $"PUT /{HostileContext.Cache}/{h}.narinfo HTTP/1.1",
                [$"Content-Length: {Render(NarInfo(h, c.BaseNarFile, c.BaseNar)).Length + 100}", "Authorization: bearer " + c.RootToken],
                Render(NarInfo(h, c.BaseNarFile, c.BaseNar)), halfClose: true, contentLength: false)),
        };
        foreach (var (name, rule, make) in targets)
        {
            var caseName = $"narinfo-put/{name}";
            var hash = StorePathHash(caseName);
            yield return new HostileCase(caseName, rule, ctx => make(ctx, hash))
            {
                Stores = true,
                ProbeHash = hash,
                ProtocolLevel = name.StartsWith("body-shorter", StringComparison.Ordinal),
            };
        }
    }
}
