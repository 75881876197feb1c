using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vega.Lite.Config;
using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Support;

/// <summary>
/// The real server (Kestrel, SQLite or PostgreSQL, local storage unless told otherwise) on 127.0.0.1 with a free port and a
/// private directory; tokens are minted with its own HS256 key.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly JwtKey _key;

    private TestServer(WebApplication app, string directory, JwtKey key, Uri address, string databaseUrl)
    {
        _app = app;
        Directory = directory;
        _key = key;
        Address = address;
        DatabaseUrl = databaseUrl;
    }

    /// <summary>SQLite in the private directory, or a database of its own on PostgreSQL (<see cref="PostgresServer.Selected"/>).</summary>
    public string DatabaseUrl { get; }

    /// <summary>The server's database, for SQL that the two write differently (<see cref="MetadataDatabase.UnixNow"/>).</summary>
    internal MetadataDatabase Database => Services.GetRequiredService<MetadataDatabase>();

    public string Directory { get; }
    public Uri Address { get; }
    public string StorageDirectory => Path.Combine(Directory, "storage");
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// A <c>[chunking]</c> section for tests of chunked NARs: NARs from 100,000 bytes are cut into chunks of 16–256 KiB
    /// (64 KiB on average), so a few hundred KB make several chunks.
    /// </summary>
    public const string SmallChunks = "[chunking]\nnar-size-threshold = 100000\nmin-size = 16384\navg-size = 65536\nmax-size = 262144";

    /// <param name="extraToml">top-level keys and extra sections</param>
    /// <param name="storageToml">a whole <c>[storage]</c> section instead of local storage in the private directory</param>
    public static async Task<TestServer> StartAsync(string extraToml = "", string? storageToml = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "vega-test-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var secret = RandomNumberGenerator.GetBytes(32);
        var databaseUrl = await PostgresServer.NewDatabaseUrlAsync(directory);
        var toml = $"""
            listen = "127.0.0.1:0"
            {extraToml}
            [database]
            url = "{databaseUrl}"
            {storageToml ?? $"[storage]\ntype = \"local\"\npath = \"{directory}/storage\""}
            [compression]
            type = "zstd"
            level = 3
            [jwt.signing]
            token-hs256-secret-base64 = "{Convert.ToBase64String(secret)}"
            """;
        var config = ConfigReader.Read(toml, "test.toml", _ => null);
        using (var database = MetadataDatabase.For(config.Database.Url))
        {
            database.Migrate(RemoteFiles.For(config.Storage));
        }
        var app = ServerHost.Build(config, null, LogLevel.Warning);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, directory, JwtKey.Hs256(secret), new Uri(address), databaseUrl);
    }

    /// <summary>A token with the given bits on the given pattern (several patterns: in order).</summary>
    public string Token(params (string Pattern, CachePermission Permission)[] grants) => Token(null, grants);

    public string Token(string? subject, params (string Pattern, CachePermission Permission)[] grants)
    {
        var claims = new TokenClaims(grants.Select(g => KeyValuePair.Create(CacheNamePattern.Parse(g.Pattern), g.Permission)))
        {
            Subject = subject,
            ExpiresAt = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        };
        return new TokenSigner(_key).Sign(claims);
    }

    public static readonly CachePermission All = new(true, true, true, true, true, true, true);
    public static readonly CachePermission PullOnly = CachePermission.None with { Pull = true };
    public static readonly CachePermission PushOnly = CachePermission.None with { Push = true };
    public static readonly CachePermission PullPush = CachePermission.None with { Pull = true, Push = true };

    public string RootToken => Token(("*", All));

    public HttpClient Client(string? token = null, bool basic = false)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = basic
                ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + token)))
                : new AuthenticationHeaderValue("bearer", token);
        }
        return client;
    }

    /// <summary>Creates a cache with the root token, as `attic cache create` does.</summary>
    public async Task CreateCacheAsync(string name, bool isPublic = false, string keypair = "\"Generate\"")
    {
        using var client = Client(RootToken);
        using var response = await client.PostAsync($"/_api/v1/cache-config/{name}", Json(
            $$"""{"keypair":{{keypair}},"is_public":{{(isPublic ? "true" : "false")}},"store_dir":"/nix/store","priority":41,"upstream_cache_key_names":["cache.nixos.org-1"]}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A number straight from the server's metadata database, to check what a request left behind.</summary>
    public long Scalar(string sql)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A statement straight on the server's metadata database; returns the rows it changed.</summary>
    public int Execute(string sql)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>The blob keys of a path's NAR, in order.</summary>
    public string[] ChunkKeys(string storePathHash) =>
        Rows(
            $"""
            SELECT SUBSTR(k.remote_file_id, 7) FROM object o JOIN chunkref r ON r.nar_id = o.nar_id JOIN chunk k ON k.id = r.chunk_id
            WHERE o.store_path_hash = '{storePathHash}' ORDER BY r.seq
            """).Select(r => r[0]).ToArray();

    /// <summary>Where local storage keeps a blob (<c>a/ab/abcd…</c>).</summary>
    public string BlobPath(string key) => Path.Combine(StorageDirectory, key[..1], key[..2], key);

    /// <summary>Rows straight from the server's metadata database, each column as text.</summary>
    public IReadOnlyList<string[]> Rows(string sql)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString()!).ToArray());
        }
        return rows;
    }

    private System.Data.Common.DbConnection OpenDatabase()
    {
        System.Data.Common.DbConnection connection = PostgresServer.Selected
            ? new Npgsql.NpgsqlConnection(Vega.Lite.Metadata.Postgres.PostgresUrl.ToConnectionString(DatabaseUrl))
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Directory, "server.db")}");
        connection.Open();
        return connection;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>
    /// A metadata store on a database connection of its own to this server's database, as another process has (a
    /// replica, a garbage collector, <c>vega-lite revoke-token</c>): its events reach no one here, only what it commits
    /// does. Closed with the server.
    /// </summary>
    internal Vega.Lite.Metadata.MetadataStore OtherProcess()
    {
        var database = Vega.Lite.Metadata.MetadataDatabase.For(DatabaseUrl);
        _otherProcesses.Add(database);
        return new Vega.Lite.Metadata.MetadataStore(database, Vega.Lite.Metadata.RemoteFiles.Local, TimeProvider.System);
    }

    private readonly List<Vega.Lite.Metadata.MetadataDatabase> _otherProcesses = [];

    public async ValueTask DisposeAsync()
    {
        _otherProcesses.ForEach(d => d.Dispose());
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
