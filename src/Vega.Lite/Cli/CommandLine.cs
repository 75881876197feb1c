namespace Vega.Lite.Cli;

/// <summary>What the command line asked for: atticd's flags, or an atticadm subcommand.</summary>
internal sealed record CommandLine
{
    public string? ConfigPath { get; init; }
    public string? Listen { get; init; }
    public string Mode { get; init; } = "monolithic";
    public bool Help { get; init; }

    /// <summary><c>--log-format json</c>: logs as one JSON object per line, with one event per request.</summary>
    public bool JsonLogs { get; init; }
    public bool Version { get; init; }

    /// <summary>Set for <c>make-token</c>: the remaining arguments after the subcommand.</summary>
    public IReadOnlyList<string>? MakeTokenArgs { get; init; }

    /// <summary>Set for <c>ensure-cache</c>: the remaining arguments after the subcommand.</summary>
    public IReadOnlyList<string>? EnsureCacheArgs { get; init; }

    /// <summary>Set for <c>cache</c>: the remaining arguments after the subcommand.</summary>
    public IReadOnlyList<string>? CacheArgs { get; init; }

    /// <summary>Set for <c>revoke-token</c>: the remaining arguments after the subcommand.</summary>
    public IReadOnlyList<string>? RevokeTokenArgs { get; init; }

    /// <summary>Set for <c>verify</c>: the remaining arguments after the subcommand.</summary>
    public IReadOnlyList<string>? VerifyArgs { get; init; }

    /// <summary><c>--check-hashes</c>, for <c>--mode verify</c>.</summary>
    public bool CheckHashes { get; init; }

    public static readonly string[] Modes =
        ["monolithic", "api-server", "garbage-collector", "garbage-collector-once", "db-migrations", "check-config", "verify"];

    /// <summary>
    /// Parses <c>[-f PATH] [-l ADDR] [--mode M]</c> and, in any position after the global flags,
    /// <c>make-token …</c>, <c>ensure-cache …</c>, <c>verify …</c> or <c>revoke-token …</c>. Started as <c>atticadm</c>, the subcommand is required.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args, bool asAtticadm)
    {
        var result = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{arg} needs a value");
            switch (arg)
            {
                case "-f" or "--config":
                    result = result with { ConfigPath = NonEmptyPath(arg, Value()) };
                    break;
                case "-l" or "--listen" when !asAtticadm:
                    result = result with { Listen = Value() };
                    break;
                case "--mode" when !asAtticadm:
                    result = WithMode(result, Value());
                    break;
                case "--log-format" when !asAtticadm:
                    result = result with
                    {
                        JsonLogs = Value() switch
                        {
                            "json" => true,
                            "text" => false,
                            var other => throw new UsageException($"unknown log format \"{other}\": text or json"),
                        },
                    };
                    break;
                case "-h" or "--help":
                    return result with { Help = true };
                case "-V" or "--version":
                    return result with { Version = true };
                case "--tokio-console":
                    break; // atticd's debugging flag; accepted so existing unit files keep working
                case "make-token":
                    return result with { MakeTokenArgs = args.Skip(i + 1).ToList() };
                case "ensure-cache" when !asAtticadm:
                    return result with { EnsureCacheArgs = args.Skip(i + 1).ToList() };
                case "verify" when !asAtticadm:
                    return result with { VerifyArgs = args.Skip(i + 1).ToList() };
                case "cache" when !asAtticadm:
                    return result with { CacheArgs = args.Skip(i + 1).ToList() };
                case "revoke-token" when !asAtticadm:
                    return result with { RevokeTokenArgs = args.Skip(i + 1).ToList() };
                case "--check-hashes" when !asAtticadm:
                    result = result with { CheckHashes = true };
                    break;
                default:
                    if (arg.StartsWith("--config=", StringComparison.Ordinal))
                    {
                        result = result with { ConfigPath = NonEmptyPath("--config", arg["--config=".Length..]) };
                        break;
                    }
                    if (arg.StartsWith("--mode=", StringComparison.Ordinal) && !asAtticadm)
                    {
                        result = WithMode(result, arg["--mode=".Length..]);
                        break;
                    }
                    throw new UsageException($"unexpected argument \"{arg}\"");
            }
        }
        if (asAtticadm && !result.Help && !result.Version)
        {
            throw new UsageException("atticadm needs a subcommand: make-token");
        }
        if (result.CheckHashes && result.Mode != "verify")
        {
            throw new UsageException("--check-hashes goes with verify (or --mode verify)");
        }
        return result;
    }

    private static string NonEmptyPath(string flag, string path) =>
        path.Length > 0 ? path : throw new UsageException($"{flag} needs a file path, not an empty string");

    private static CommandLine WithMode(CommandLine result, string mode) =>
        Modes.Contains(mode)
            ? result with { Mode = mode }
            : throw new UsageException($"unknown mode \"{mode}\": one of {string.Join(", ", Modes)}");

    public const string Usage =
        """
        vega-lite: a Nix binary cache server, a drop-in replacement for Attic's atticd.

        Usage:
          vega-lite [-f|--config PATH] [-l|--listen ADDR] [--mode MODE] [--log-format text|json]
          vega-lite [-f|--config PATH] make-token --sub NAME --validity DURATION [permissions…] [--dump-claims]
          vega-lite [-f|--config PATH] ensure-cache NAME [--public|--private] [--retention-period SECONDS|global]
                    [--priority N] [--store-dir DIR] [--upstream-cache-key-name KEY]… [--no-upstream-cache-key-names]
          vega-lite [-f|--config PATH] verify [--check-hashes]
          vega-lite [-f|--config PATH] revoke-token TOKEN | --jti ID | --sub NAME
          vega-lite [-f|--config PATH] cache list

        Modes: monolithic (default: migrate, serve), api-server (serve only), db-migrations,
               check-config, garbage-collector, garbage-collector-once, verify (as the verify command).

        Configuration: -f PATH, else ATTIC_SERVER_CONFIG_BASE64, else $XDG_CONFIG_HOME/attic/server.toml
        (created with SQLite, local storage and a fresh RS256 key on the first monolithic start).

        make-token permissions (each takes a cache name pattern, may repeat):
          --pull --push --delete --create-cache --configure-cache --configure-cache-retention --destroy-cache

        ensure-cache creates the cache (fresh signing key, like `attic cache create`) unless it exists, then sets
        only the flags given. Idempotent: for declarative caches, run before each start.

        verify checks that every chunk's blob is in storage (with --check-hashes: reads and hashes each one), records
        each lost one so its paths count as missing until pushed again, and exits 1 if anything is lost, else 0.

        revoke-token records a revocation in the database: every server on it refuses the token within a second.
        --sub revokes every token of that subject made until now. Tokens from make-token carry a jti for --jti.

        cache list prints every cache on the server's database (name, visibility, paths, NAR bytes, public key).

        Started through a link named atticd or atticadm, it behaves as that program.
        """;
}

internal sealed class UsageException(string message) : Exception(message);
