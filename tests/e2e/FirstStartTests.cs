using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>Attic's first start: no configuration anywhere, and the server sets itself up and prints a usable token.</summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed partial class FirstStartTests
{
    [Fact]
    public async Task Without_any_config_the_server_writes_one_prints_a_root_token_and_serves()
    {
        var home = Path.Combine(Path.GetTempPath(), "vega-first-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(home);
        var port = VegaLiteProcess.FreePort();
        var info = new ProcessStartInfo(VegaLiteProcess.Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-l");
        info.ArgumentList.Add($"127.0.0.1:{port}");
        info.Environment["HOME"] = home;
        info.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, "config");
        info.Environment["XDG_DATA_HOME"] = Path.Combine(home, "data");
        info.Environment.Remove("ATTIC_SERVER_CONFIG_BASE64");
        using var process = Process.Start(info)!;
        try
        {
            var output = new System.Text.StringBuilder();
            string? token = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (token is null && DateTime.UtcNow < deadline)
            {
                var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                if (line is null)
                {
                    break;
                }
                output.AppendLine(line);
                if (LoginLine().Match(line) is { Success: true } match)
                {
                    Assert.Equal(port.ToString(), match.Groups["port"].Value);
                    token = match.Groups["token"].Value;
                }
            }
            Assert.True(token is not null, "no `attic login` line in:\n" + output);

            var config = File.ReadAllText(Path.Combine(home, "config", "attic", "server.toml"));
            Assert.Contains("token-rs256-secret-base64", config);
            Assert.Contains($"sqlite://{home}/data/attic/server.db", config);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(home, "config", "attic", "server.toml")));

            using var api = new CacheApi($"http://127.0.0.1:{port}", token);
            await WaitForServer(api);
            await api.CreateCacheAsync("first");
            Assert.StartsWith("first:", await api.PublicKeyAsync("first"));
            Assert.True(Directory.Exists(Path.Combine(home, "data", "attic", "storage")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task WaitForServer(CacheApi api)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await api.GetAsync("");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the server did not start after its first-start setup");
    }

    [GeneratedRegex(@"attic login local http://localhost:(?<port>\d+) (?<token>[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")]
    private static partial Regex LoginLine();
}
