using Vega.Lite.Config;
using Vega.Lite.Metadata;

namespace Vega.Lite.Cli;

/// <summary>
/// <c>cache list</c> (Attic's #168: there is no way to list caches but SQL): every live cache on the server's
/// database, one line each, in name order, with its visibility, paths, NAR bytes and public key, read straight from
/// the database (so it needs no token). Over HTTP, a caller sees its own: <c>GET /_api/v1/caches</c>.
/// </summary>
internal static class CacheCommand
{
    public static async Task<int> RunAsync(string? configPath, IReadOnlyList<string> args, Func<string, string?> env, TextWriter output)
    {
        if (args is not ["list"])
        {
            throw new UsageException("cache needs a subcommand: list");
        }
        var config = ConfigLoader.Load(configPath, env);
        using var database = MetadataDatabase.For(config.Database.Url);
        database.CheckSchema();
        var metadata = new MetadataStore(database, RemoteFiles.For(config.Storage), TimeProvider.System);
        var caches = await metadata.GetCacheUsageAsync(CancellationToken.None);
        var nameWidth = Math.Max(4, caches.Select(c => c.Cache.Name.Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"{"NAME".PadRight(nameWidth)}  {"VISIBILITY",-10}  {"PATHS",10}  {"NAR BYTES",15}  {"STORED BYTES",15}  PUBLIC KEY");
        foreach (var (cache, usage) in caches)
        {
            output.WriteLine($"{cache.Name.PadRight(nameWidth)}  {(cache.IsPublic ? "public" : "private"),-10}  {usage.Objects,10}  " +
                $"{usage.NarBytes,15}  {usage.StoredBytes,15}  {cache.Keypair.PublicKey}");
        }
        return 0;
    }
}
