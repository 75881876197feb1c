using System.Text;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>Started through a link named atticadm or atticd, the binary behaves as that program.</summary>
public sealed class SymlinkNameTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vega-links-" + Guid.NewGuid().ToString("N")[..10]);

    public SymlinkNameTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Atticadm_mints_tokens_with_its_flags_and_refuses_server_flags()
    {
        var config = VegaLiteProcess.WriteConfig(Path.Combine(_directory, "data"));
        var atticadm = Path.Combine(_directory, "atticadm");
        File.CreateSymbolicLink(atticadm, VegaLiteProcess.Binary);

        var minted = await Processes.RunAsync(atticadm,
            ["-f", config, "make-token", "--sub", "alice", "--validity", "3 months", "--pull", "alice-*", "--dump-claims"]);
        Assert.True(minted.ExitCode == 0, minted.Describe("atticadm make-token"));
        Assert.Contains("\"sub\":\"alice\"", minted.Stdout);
        Assert.Contains("\"alice-*\":{\"r\":1}", minted.Stdout);

        var serverFlag = await Processes.RunAsync(atticadm, ["-f", config, "--mode", "check-config"]);
        Assert.NotEqual(0, serverFlag.ExitCode);
    }

    [Fact]
    public async Task Atticd_checks_a_config_as_the_NixOS_module_does_at_build_time()
    {
        var config = Path.Combine(_directory, "server.toml");
        File.WriteAllText(config, "[storage]\ntype = \"local\"\npath = \"/var/lib/atticd/storage\"\n");
        var atticd = Path.Combine(_directory, "atticd");
        File.CreateSymbolicLink(atticd, VegaLiteProcess.Binary);
        var env = new Dictionary<string, string>
        {
            ["ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64"] = "dGVzdCBzZWNyZXQ=",
            ["ATTIC_SERVER_DATABASE_URL"] = "sqlite://:memory:",
        };
        var ok = await Processes.RunAsync(atticd, ["--mode", "check-config", "-f", config], env);
        Assert.True(ok.ExitCode == 0, ok.Describe("atticd --mode check-config"));

        // check-config accepts PostgreSQL URLs (the module checks such configs); serving on one that is not there is a clear error, not a crash.
        var postgres = new Dictionary<string, string>(env) { ["ATTIC_SERVER_DATABASE_URL"] = "postgresql:///attic?host=/run/postgresql" };
        var checkedPostgres = await Processes.RunAsync(atticd, ["--mode", "check-config", "-f", config], postgres);
        Assert.True(checkedPostgres.ExitCode == 0, checkedPostgres.Describe("atticd --mode check-config"));
        var served = await Processes.RunAsync(atticd, ["-f", config, "-l", "127.0.0.1:0"], postgres);
        Assert.Equal(1, served.ExitCode);
        Assert.Contains("database postgresql:///attic?host=/run/postgresql cannot be reached", served.Stderr);
        Assert.DoesNotContain("   at ", served.Stderr);

        File.WriteAllText(config, "bogus-key = 1\n", Encoding.UTF8);
        var bad = await Processes.RunAsync(atticd, ["--mode", "check-config", "-f", config], env);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("bogus-key", bad.Stderr);
        Assert.Contains(config, bad.Stderr);
    }
}
