using Vega.Lite.Config;
using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Time;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Cli;

/// <summary><c>make-token</c>, with atticadm's flags: prints a signed JWT (or its claims with --dump-claims).</summary>
internal static class MakeTokenCommand
{
    public static int Run(string? configPath, IReadOnlyList<string> args, Func<string, string?> env, TextWriter output)
    {
        var (request, dumpClaims) = Parse(args);
        var config = ConfigLoader.Load(configPath, env);
        output.WriteLine(dumpClaims
            ? TokenMinting.ClaimsJson(TimeProvider.System, request)
            : TokenMinting.Mint(config.Jwt, TimeProvider.System, request));
        return 0;
    }

    public static (MakeTokenRequest Request, bool DumpClaims) Parse(IReadOnlyList<string> args)
    {
        string? subject = null;
        TimeSpan? validity = null;
        var dump = false;
        var bits = new Dictionary<string, List<CacheNamePattern>>(StringComparer.Ordinal)
        {
            ["--pull"] = [],
            ["--push"] = [],
            ["--delete"] = [],
            ["--create-cache"] = [],
            ["--configure-cache"] = [],
            ["--configure-cache-retention"] = [],
            ["--destroy-cache"] = [],
        };
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = OptionArgument.Split(args[i]);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{flag} needs a value"));
            switch (flag)
            {
                case "--sub":
                    subject = Value();
                    break;
                case "--validity":
                    var text = Value();
                    validity = HumanDuration.TryParse(text, out var parsed, out var error)
                        ? parsed
                        : throw new UsageException($"--validity \"{text}\": {error}");
                    break;
                case "--dump-claims":
                    dump = true;
                    break;
                case var bit when bits.TryGetValue(bit, out var patterns):
                    var pattern = Value();
                    patterns.Add(CacheNamePattern.TryParse(pattern, out var parsedPattern)
                        ? parsedPattern!
                        : throw new UsageException($"{bit} \"{pattern}\" is not a cache name pattern (letters, digits, - _ + and *)"));
                    break;
                default:
                    throw new UsageException($"make-token: unexpected argument \"{args[i]}\"");
            }
        }
        var request = new MakeTokenRequest
        {
            Subject = subject ?? throw new UsageException("make-token: --sub is required"),
            Validity = validity ?? throw new UsageException("make-token: --validity is required (for example \"3 months\")"),
            Pull = bits["--pull"],
            Push = bits["--push"],
            Delete = bits["--delete"],
            CreateCache = bits["--create-cache"],
            ConfigureCache = bits["--configure-cache"],
            ConfigureCacheRetention = bits["--configure-cache-retention"],
            DestroyCache = bits["--destroy-cache"],
        };
        return (request, dump);
    }
}
