using Vega.Lite.Config;
using Vega.Lite.Gc;
using Vega.Lite.Metadata;
using Vega.Lite.Storage;

namespace Vega.Lite.Cli;

/// <summary>
/// <c>verify [--check-hashes]</c>, also <c>--mode verify</c>: checks every chunk's blob (<see cref="BlobVerifier"/>),
/// prints a line per lost chunk and a summary, and exits 1 when something is lost, 0 when nothing is. Safe beside a
/// running server: it only marks chunks lost, as a download that finds a blob missing does.
/// </summary>
internal static class VerifyCommand
{
    public static bool Parse(IReadOnlyList<string> args)
    {
        var checkHashes = false;
        foreach (var arg in args)
        {
            checkHashes = arg == "--check-hashes" ? true : throw new UsageException($"verify: unexpected argument \"{arg}\"");
        }
        return checkHashes;
    }

    public static async Task<int> RunAsync(ServerConfig config, bool checkHashes, TextWriter output)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        ServerHost.ConfigureLogging(builder.Logging, LogLevel.Warning);
        ServerHost.AddCoreServices(builder.Services, config);
        using var host = builder.Build();
        ServerCommand.Migrate(config);
        var verifier = new BlobVerifier(host.Services.GetRequiredService<MetadataStore>(), host.Services.GetRequiredService<IBlobStorage>());
        var report = await verifier.RunAsync(checkHashes, output.WriteLine, CancellationToken.None);
        output.WriteLine(report.ToString());
        return report.ExitCode;
    }
}
