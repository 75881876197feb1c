namespace Vega.Lite.Cli;

/// <summary>What the command line asked for: atticd's flags, or an atticadm subcommand.</summary>
internal sealed record CommandLine
{
    public string? ConfigPath { get; init; }
    public string? Listen { get; init; }
    public string Mode { get; init; } = "monolithic";
    public bool Help { get; init; }
    public bool Version { get; init; }

    /// <summary>Set for <c>make-token</c>: the remaining arguments after the subcommand.</summary>
    public IReadOnlyList<string>? MakeTokenArgs { get; init; }

    /// <summary>Set for <c>ensure-cache</c>: the remaining arguments after the subcommand.</summary>
    public IReadOnlyList<string>? EnsureCacheArgs { get; init; }

    public static readonly string[] Modes =
        ["monolithic", "api-server", "garbage-collector", "garbage-collector-once", "db-migrations", "check-config"];

    /// <summary>
    /// Parses <c>[-f PATH] [-l ADDR] [--mode M]</c> and, in any position after the global flags,
    /// <c>make-token …</c> or <c>ensure-cache …</c>. Started as <c>atticadm</c>, the subcommand is required.
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
          vega-lite [-f|--config PATH] [-l|--listen ADDR] [--mode MODE]
          vega-lite [-f|--config PATH] make-token --sub NAME --validity DURATION [permissions…] [--dump-claims]
          vega-lite [-f|--config PATH] ensure-cache NAME [--public|--private] [--retention-period SECONDS|global]
                    [--priority N] [--store-dir DIR] [--upstream-cache-key-name KEY]… [--no-upstream-cache-key-names]

        Modes: monolithic (default: migrate, serve), api-server (serve only), db-migrations,
               check-config, garbage-collector, garbage-collector-once.

        Configuration: -f PATH, else ATTIC_SERVER_CONFIG_BASE64, else $XDG_CONFIG_HOME/attic/server.toml
        (created with SQLite, local storage and a fresh RS256 key on the first monolithic start).

        make-token permissions (each takes a cache name pattern, may repeat):
          --pull --push --delete --create-cache --configure-cache --configure-cache-retention --destroy-cache

        ensure-cache creates the cache (fresh signing key, like `attic cache create`) unless it exists, then sets
        only the flags given. Idempotent: for declarative caches, run before each start.

        Started through a link named atticd or atticadm, it behaves as that program.
        """;
}

internal sealed class UsageException(string message) : Exception(message);
