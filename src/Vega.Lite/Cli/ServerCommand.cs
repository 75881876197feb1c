using Vega.Lite.Config;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Gc;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Cli;

/// <summary>atticd's modes: serve (monolithic / api-server), run migrations, or check a configuration.</summary>
internal static class ServerCommand
{
    public static async Task<int> RunAsync(CommandLine commandLine, Func<string, string?> env)
    {
        if (commandLine.Mode == "monolithic" && ConfigLoader.NeedsFirstStart(commandLine.ConfigPath, env))
        {
            FirstStart.Run(env, commandLine.Listen, Console.Out);
        }
        var config = ConfigLoader.Load(commandLine.ConfigPath, env);
        switch (commandLine.Mode)
        {
            case "check-config":
                Check(config, commandLine.Listen);
                Console.WriteLine($"The configuration in {config.Source} is valid.");
                Console.WriteLine(DatabaseReport.Describe(config.Database.Url));
                Console.WriteLine(await StorageReport.DescribeAsync(config.Storage));
                return 0;
            case "db-migrations":
                Migrate(config);
                Console.WriteLine("Database migrations applied.");
                return 0;
            case "verify":
                return await VerifyCommand.RunAsync(config, commandLine.CheckHashes, Console.Out);
            case "garbage-collector" or "garbage-collector-once":
                return await CollectGarbageAsync(config, once: commandLine.Mode == "garbage-collector-once", LogLevelFromEnvironment(env));
        }
        Check(config, commandLine.Listen);
        if (commandLine.Mode == "monolithic")
        {
            Migrate(config);
        }
        else
        {
            CheckSchema(config);
        }
        await CheckChunksAreInStorageAsync(config);
        var app = ServerHost.Build(config, commandLine.Listen, LogLevelFromEnvironment(env), garbageCollection: commandLine.Mode == "monolithic",
            jsonLogs: commandLine.JsonLogs);
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// Stops the start with one line when the database names blobs this server's storage does not hold (an atticd that
    /// used another bucket or local storage): serving them would answer 5xx for each, and GC could not remove them.
    /// </summary>
    public static async Task CheckChunksAreInStorageAsync(ServerConfig config)
    {
        using var database = MetadataDatabase.For(config.Database.Url);
        var metadata = new MetadataStore(database, RemoteFiles.For(config.Storage), TimeProvider.System);
        var (count, examples) = await metadata.FindChunksElsewhereAsync(CancellationToken.None);
        if (count > 0)
        {
            throw new ConfigException(
                $"database {database.Description} has {(count >= MetadataStore.ChunksElsewhereExamined ? "at least " : "")}{count} chunks " +
                $"this server's [storage] does not hold, for example: {examples[0]}; point [storage] at where atticd stored them");
        }
    }

    /// <summary>Brings the database to this server's schema, saying so when that converted an earlier Vega.Lite's.</summary>
    public static void Migrate(ServerConfig config)
    {
        using var database = MetadataDatabase.For(config.Database.Url);
        if (database.Migrate(RemoteFiles.For(config.Storage)) is { } said)
        {
            Console.WriteLine(said);
        }
    }

    private static void CheckSchema(ServerConfig config)
    {
        using var database = MetadataDatabase.For(config.Database.Url);
        database.CheckSchema();
    }

    /// <summary>
    /// <c>--mode garbage-collector-once</c>: one pass, then exit. <c>--mode garbage-collector</c>: the interval loop
    /// without the API (run exactly one collector per deployment, as with atticd).
    /// </summary>
    private static async Task<int> CollectGarbageAsync(ServerConfig config, bool once, LogLevel logLevel)
    {
        CheckSchema(config);
        await CheckChunksAreInStorageAsync(config);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        ServerHost.ConfigureLogging(builder.Logging, logLevel);
        ServerHost.AddCoreServices(builder.Services, config);
        if (!once)
        {
            if (config.GarbageCollection.Interval <= TimeSpan.Zero)
            {
                await Console.Error.WriteLineAsync("garbage-collection.interval is 0: periodic garbage collection is disabled");
                return 0;
            }
            builder.Services.AddHostedService<GarbageCollectionLoop>();
            await builder.Build().RunAsync();
            return 0;
        }
        using var host = builder.Build();
        var report = await host.Services.GetRequiredService<GarbageCollector>().RunOnceAsync(CancellationToken.None);
        Console.WriteLine($"Garbage collection done: {report}.");
        return 0;
    }

    /// <summary>Everything that can be checked without serving: listen address, signing key, database URL, storage type.</summary>
    private static void Check(ServerConfig config, string? listenOverride)
    {
        ServerHost.ParseListen(listenOverride ?? config.Listen);
        try
        {
            JwtKey.FromBase64Setting(config.Jwt.Signing.SettingName, config.Jwt.Signing.Base64Value);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"{config.Source}: jwt.signing.{config.Jwt.Signing.SettingName}: {e.Message}");
        }
        if (Metadata.Postgres.PostgresUrl.IsPostgresUrl(config.Database.Url))
        {
            Metadata.Postgres.PostgresUrl.ToBuilder(config.Database.Url); // a malformed one is a ConfigException naming it
        }
        else if (!SqliteDatabase.IsSupportedUrl(config.Database.Url))
        {
            throw new ConfigException($"{config.Source}: database.url must be a sqlite:// or postgresql:// URL");
        }
    }

    /// <summary>Honours the <c>RUST_LOG</c> levels atticd users already set (error, warn, info, debug, trace).</summary>
    private static LogLevel LogLevelFromEnvironment(Func<string, string?> env) => (env("RUST_LOG") ?? "").ToLowerInvariant() switch
    {
        var v when v.Contains("trace") => LogLevel.Trace,
        var v when v.Contains("debug") => LogLevel.Debug,
        var v when v.Contains("warn") => LogLevel.Warning,
        var v when v.Contains("error") => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
