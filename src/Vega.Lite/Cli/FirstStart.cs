using System.Security.Cryptography;
using System.Text;
using Vega.Lite.Config;
using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Cli;

/// <summary>
/// Attic's first-start setup (its "OOBE"): with no configuration anywhere, monolithic mode writes one with SQLite
/// and local storage under the XDG data directory and a fresh RS256 key, then prints a root token and the
/// <c>attic login</c> line that uses it.
/// </summary>
internal static class FirstStart
{
    public static void Run(Func<string, string?> env, string? listenOverride, TextWriter output)
    {
        var configPath = ConfigLoader.XdgConfigFile(env);
        var dataDir = ConfigLoader.XdgDataDirectory(env);
        Directory.CreateDirectory(Path.GetDirectoryName(configPath)!);
        Directory.CreateDirectory(dataDir);

        using var rsa = RSA.Create(4096);
        var secret = Convert.ToBase64String(Encoding.UTF8.GetBytes(rsa.ExportRSAPrivateKeyPem()));
        var listen = listenOverride ?? ConfigDefaults.Listen;
        var text = Template(listen, dataDir, secret);
        using (var file = new FileStream(configPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, // it holds the signing key
        }))
        {
            file.Write(Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        var config = ConfigReader.Read(text, configPath, env);
        IReadOnlyList<CacheNamePattern> everything = [CacheNamePattern.Parse("*")];
        var token = TokenMinting.Mint(config.Jwt, TimeProvider.System, new MakeTokenRequest
        {
            Subject = "root",
            Validity = TimeSpan.FromDays(730),
            Pull = everything,
            Push = everything,
            Delete = everything,
            CreateCache = everything,
            ConfigureCache = everything,
            ConfigureCacheRetention = everything,
            DestroyCache = everything,
        });
        var port = ServerHost.ParseListen(listen).Port;
        output.WriteLine(
            $"""

            Welcome to Vega.Lite!

            A simple setup using SQLite and local storage has been written to:
                {configPath}

            Run the following command to log into this server with the Attic client:

                attic login local http://localhost:{port} {token}

            Or push with plain Nix: put the token as the password for this host in a netrc file, then
                nix copy --to 'http://localhost:{port}/CACHE?compression=zstd' PATHS…

            """);
    }

    private static string Template(string listen, string dataDir, string secret) =>
        $"""
        # Written by vega-lite on its first start. atticd.example.toml in the source explains every key.
        listen = "{listen}"

        [database]
        url = "sqlite://{dataDir}/server.db?mode=rwc"

        [storage]
        type = "local"
        path = "{dataDir}/storage"

        [chunking]
        nar-size-threshold = {ConfigDefaults.Chunking.NarSizeThreshold}
        min-size = {ConfigDefaults.Chunking.MinSize}
        avg-size = {ConfigDefaults.Chunking.AvgSize}
        max-size = {ConfigDefaults.Chunking.MaxSize}

        [compression]
        type = "zstd"

        [garbage-collection]
        interval = "12 hours"

        [jwt.signing]
        token-rs256-secret-base64 = "{secret}"

        """;
}
