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

    [Fact]
    public void The_log_format_is_text_unless_json_is_asked_for_and_anything_else_is_a_usage_error()
    {
        Assert.False(CommandLine.Parse([], asAtticadm: false).JsonLogs);
        Assert.True(CommandLine.Parse(["--log-format", "json", "--mode", "api-server"], asAtticadm: false).JsonLogs);
        Assert.False(CommandLine.Parse(["--log-format", "text"], asAtticadm: false).JsonLogs);
        Assert.Equal("unknown log format \"xml\": text or json",
            Assert.Throws<UsageException>(() => CommandLine.Parse(["--log-format", "xml"], asAtticadm: false)).Message);
        Assert.Throws<UsageException>(() => CommandLine.Parse(["--log-format", "json"], asAtticadm: true));
    }

    [Fact]
    public void Revoke_token_and_cache_take_the_arguments_after_them()
    {
        var revoke = CommandLine.Parse(["-f", "s.toml", "revoke-token", "--sub", "ci"], asAtticadm: false);
        Assert.Equal(["--sub", "ci"], revoke.RevokeTokenArgs);
        Assert.Equal(["list"], CommandLine.Parse(["cache", "list"], asAtticadm: false).CacheArgs);
    }
}
