using Vega.Lite.Config;
using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Nix;
using Vega.Lite.Metadata;

namespace Vega.Lite.Cli;

/// <summary>
/// <c>ensure-cache NAME [flags]</c>: declarative caches (Attic #102). Creates the cache as <c>attic cache create</c>
/// would (a fresh signing key, /nix/store, priority 41, upstream cache.nixos.org-1) unless it exists, then sets the
/// flags given, and only those. Idempotent, so a service can run it before every start (the NixOS module does).
/// </summary>
internal static class EnsureCacheCommand
{
    /// <summary>What the flags ask for; a null field is left as it is (or at its default on creation).</summary>
    public sealed record Request(
        string Name,
        bool? IsPublic,
        RetentionUpdate? Retention,
        int? Priority,
        string? StoreDir,
        IReadOnlyList<string>? UpstreamCacheKeyNames);

    public static async Task<int> RunAsync(string? configPath, IReadOnlyList<string> args, Func<string, string?> env, TextWriter output)
    {
        var request = Parse(args);
        var config = ConfigLoader.Load(configPath, env);
        ServerCommand.Migrate(config);
        using var database = MetadataDatabase.For(config.Database.Url);
        var metadata = new MetadataStore(database, RemoteFiles.For(config.Storage), TimeProvider.System);
        var created = await metadata.CreateCacheAsync(
            new NewCache(request.Name, NixKeypair.Generate(request.Name), IsPublic: false, StoreDir: "/nix/store", Priority: 41,
                UpstreamCacheKeyNames: ["cache.nixos.org-1"]),
            CancellationToken.None);
        var cache = await metadata.GetCacheAsync(request.Name, CancellationToken.None)
            ?? throw new ConfigException($"ensure-cache: the name \"{request.Name}\" belongs to a soft-deleted cache and cannot be reused");
        var update = new CacheUpdate(Keypair: null, request.IsPublic, request.StoreDir, request.Priority, request.UpstreamCacheKeyNames, request.Retention);
        if (!await metadata.UpdateCacheAsync(cache.Id, update, CancellationToken.None))
        {
            throw new ConfigException($"ensure-cache: cache \"{request.Name}\" was deleted while it was being configured");
        }
        output.WriteLine($"{(created ? "Created" : "Configured")} cache \"{request.Name}\" (public key {cache.Keypair.PublicKey}).");
        return 0;
    }

    public static Request Parse(IReadOnlyList<string> args)
    {
        string? name = null;
        bool? isPublic = null;
        RetentionUpdate? retention = null;
        int? priority = null;
        string? storeDir = null;
        List<string>? upstream = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = OptionArgument.Split(args[i]);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{flag} needs a value"));
            switch (flag)
            {
                case "--public":
                    isPublic = true;
                    break;
                case "--private":
                    isPublic = false;
                    break;
                case "--retention-period":
                    retention = ParseRetention(Value());
                    break;
                case "--priority":
                    var priorityText = Value();
                    priority = int.TryParse(priorityText, out var parsed) && parsed >= 0
                        ? parsed
                        : throw new UsageException($"--priority \"{priorityText}\" is not a non-negative integer");
                    break;
                case "--store-dir":
                    storeDir = Value();
                    break;
                case "--upstream-cache-key-name":
                    (upstream ??= []).Add(Value());
                    break;
                case "--no-upstream-cache-key-names":
                    upstream = [];
                    break;
                case var other when other.StartsWith('-'):
                    throw new UsageException($"ensure-cache: unknown flag \"{args[i]}\"");
                default:
                    name = name is null
                        ? args[i]
                        : throw new UsageException($"ensure-cache: unexpected argument \"{args[i]}\" after the cache name \"{name}\"");
                    break;
            }
        }
        if (name is null)
        {
            throw new UsageException("ensure-cache needs a cache name");
        }
        if (!CacheName.IsValid(name))
        {
            throw new UsageException($"ensure-cache: \"{name}\" is not a valid cache name");
        }
        return new Request(name, isPublic, retention, priority, storeDir, upstream);
    }

    /// <summary><c>global</c> (the server's default) or whole seconds, 0 meaning never expire, as in Attic.</summary>
    private static RetentionUpdate ParseRetention(string text) =>
        text == "global" ? new RetentionUpdate(null)
        : long.TryParse(text, out var seconds) && seconds is >= 0 and <= int.MaxValue ? new RetentionUpdate(seconds)
        : throw new UsageException($"--retention-period \"{text}\": whole seconds (0 to {int.MaxValue}) or \"global\"");
}
