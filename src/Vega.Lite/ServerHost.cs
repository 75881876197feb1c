using System.Net;
using Vega.Lite.Api;
using Vega.Lite.Auth;
using Vega.Lite.Config;
using Vega.Lite.Gc;
using Vega.Lite.Http;
using Vega.Lite.Ingest;
using Vega.Lite.Metadata;
using Vega.Lite.Observability;
using Vega.Lite.Storage;
using Vega.Lite.Storage.Local;
using Vega.Lite.Storage.S3;

namespace Vega.Lite;

/// <summary>Builds the web application from a configuration: services, middleware and the route table.</summary>
internal static class ServerHost
{
    /// <summary>How long a stopping server waits for requests in flight.</summary>
    public static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    /// <param name="garbageCollection">Run the <c>[garbage-collection] interval</c> loop beside the API (monolithic mode).</param>
    public static WebApplication Build(
        ServerConfig config, string? listenOverride, LogLevel logLevel = LogLevel.Information, bool garbageCollection = false,
        bool jsonLogs = false)
    {
        var listen = ParseListen(listenOverride ?? config.Listen);
        // The configuration is Attic's TOML, never appsettings.json: no reloading watch, and the content root is the
        // binary's directory; otherwise a service started from / puts a recursive inotify watch on the whole file system.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // NARs can be gigabytes; small bodies are capped where they are read
            if (config.Upload.IdleTimeout > TimeSpan.Zero)
            {
                // RequestBodyWatch replaces Kestrel's minimum body rate, which averages over the whole request (so a body
                // that starts fast and stops is held for hours) and only says why at Kestrel's debug level.
                kestrel.Limits.MinRequestBodyDataRate = null;
            }
            kestrel.Listen(listen);
        });
        ConfigureLogging(builder.Logging, logLevel, jsonLogs);
        AddCoreServices(builder.Services, config);
        var services = builder.Services;
        // On SIGTERM Kestrel stops accepting at once and lets requests in flight (an upload being recorded) finish for
        // this long before it aborts them; stated here, not left to the host's default (e2e GracefulStopTests).
        services.Configure<HostOptions>(o => o.ShutdownTimeout = StopDeadline);
        services.AddSingleton<CacheDirectory>();
        services.AddSingleton<NarInfoCache>();
        services.AddHostedService<CacheCoherence>();
        services.AddHostedService<InstanceHeartbeat>();
        services.AddSingleton<TokenRevocations>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenRevocations>()); // loaded before the server answers
        services.AddSingleton<TokenAuthority>(sp => new TokenAuthority(config.Jwt, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TokenAuthority>>(), sp.GetRequiredService<TokenRevocations>()));
        services.AddSingleton<CacheAccess>();
        services.AddSingleton<RequestBodyWatchdog>();
        services.AddSingleton(sp => new NarIngester(
            sp.GetRequiredService<IBlobStorage>(), sp.GetRequiredService<MetadataStore>(), config.Compression, config.Chunking));
        services.AddSingleton<NarUploads>();
        services.AddSingleton<CacheStatistics>();
        MetricsEndpoint.AddExporter(services, config.Metrics);
        Routes.AddRouting(services);
        if (garbageCollection && config.GarbageCollection.Interval > TimeSpan.Zero)
        {
            services.AddHostedService<GarbageCollectionLoop>();
        }

        var app = builder.Build();
        // Fail at start, not on the first request, when the storage root, the S3 endpoint or the signing key is unusable.
        app.Services.GetRequiredService<IBlobStorage>();
        app.Services.GetRequiredService<TokenAuthority>();
        var holdsLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<NarUploads>();
        app.Services.GetRequiredService<MetadataStore>().HoldsLeftBehind += reason => holdsLog.LogWarning(
            "An upload's holds on reused NAR and chunk rows could not be given back ({Reason}); they keep those rows from " +
            "garbage collection until cleared (docs/attic-database.md §5.3)", reason);
        if (jsonLogs)
        {
            app.UseMiddleware<AccessLog>(); // outermost: it sees the status the gate gives too
        }
        app.UseMiddleware<RequestGate>();
        app.UseMiddleware<RequestBodyWatch>();
        Routes.Map(app);
        return app;
    }

    /// <summary>Console logs: one line per event, as text (the default) or as one JSON object (<c>--log-format json</c>).</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, LogLevel logLevel, bool json = false)
    {
        logging.ClearProviders();
        if (json)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
        logging.SetMinimumLevel(logLevel);
        logging.AddFilter("Microsoft", logLevel > LogLevel.Warning ? logLevel : LogLevel.Warning);
    }

    /// <summary>What both the API and the garbage collector need: configuration, metadata, storage, the collector.</summary>
    public static void AddCoreServices(IServiceCollection services, ServerConfig config)
    {
        services.AddSingleton(config);
        services.AddSingleton(config.GarbageCollection);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => MetadataDatabase.For(config.Database.Url)); // made by the container, so disposed with it (its pool)
        services.AddSingleton(RemoteFiles.For(config.Storage));
        services.AddSingleton<MetadataStore>();
        services.AddMetrics();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<IBlobStorage>(sp => new MeasuredBlobStorage(
            CreateStorage(config.Storage, sp.GetRequiredService<ILoggerFactory>()), sp.GetRequiredService<ServerMetrics>()));
        services.AddSingleton<GarbageCollector>();
    }

    public static IPEndPoint ParseListen(string listen) =>
        IPEndPoint.TryParse(listen, out var endpoint) && (listen.Contains(':') || endpoint.Port != 0)
            ? endpoint
            : throw new ConfigException($"listen address \"{listen}\" is not an IP:port socket address such as [::]:8080 or 127.0.0.1:8080");

    private static IBlobStorage CreateStorage(StorageConfig storage, ILoggerFactory logs) => storage switch
    {
        LocalStorageConfig local => CreateLocalStorage(local.Path),
        S3StorageConfig s3 => S3BlobStorage.Create(s3, logs.CreateLogger<S3BlobStorage>()),
        _ => throw new ConfigException("unknown storage type"),
    };

    /// <summary>An unusable storage path stops the server with one line saying so, not an exception trace.</summary>
    private static LocalBlobStorage CreateLocalStorage(string path)
    {
        try
        {
            return new LocalBlobStorage(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"storage.path \"{path}\" cannot be used: {e.Message}");
        }
    }
}
