using Vega.Lite.Cli;

namespace Vega.Lite.Tests.Cli;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("-f", "")]
    [InlineData("--config", "")]
    [InlineData("--config=", null)]
    public void An_empty_config_path_is_a_usage_error_not_a_crash(string flag, string? value)
    {
        string[] args = value is null ? [flag] : [flag, value];
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(args, asAtticadm: false));
        Assert.Contains("needs a file path", error.Message);
    }

    [Fact]
    public void Global_flags_mode_and_subcommand_are_parsed()
    {
        var parsed = CommandLine.Parse(["--config=/etc/s.toml", "--mode", "check-config"], asAtticadm: false);
        Assert.Equal("/etc/s.toml", parsed.ConfigPath);
        Assert.Equal("check-config", parsed.Mode);
        Assert.Null(parsed.MakeTokenArgs);
    }
}
