using Vega.Lite.Config;

namespace Vega.Lite.Tests.Config;

/// <summary>A <c>server.toml</c> that is not valid TOML stops the server with the file, the line and the column.</summary>
public sealed class TomlErrorTests
{
    /// <summary>Follows each case; without [storage], a case that passed as TOML would fail for another reason.</summary>
    private const string Rest = """
        [database]
        url = "sqlite:///tmp/x.db"
        [jwt.signing]
        token-hs256-secret-base64 = "c2VjcmV0"
        """;

    private static ConfigException ReadError(string text, string source = "server.toml") =>
        Assert.Throws<ConfigException>(() => ConfigReader.Read(text + "\n" + Rest, source, _ => null));

    [Theory]
    [InlineData("listen = # no value", 1, 20, "value")]
    [InlineData("soft-delete-caches = true\nlisten = \"a\" \"b\"", 2, 14, "newline")]
    [InlineData("[chunking\nmin-size = 1", 1, 10, "`]`")]
    [InlineData("listen = \"no end", 1, 17, "newline")]
    [InlineData("listen = \"line\nbreak\"", 1, 15, "newline")]
    [InlineData("listen = \"\\q\"", 1, 12, "escape")]
    [InlineData("max-nar-info-size = 01", 1, 21, "leading zero")]
    [InlineData("max-nar-info-size = 9223372036854775808", 1, 21, "integer")]
    [InlineData("listen = 1979-02-29", 1, 10, "date")]
    [InlineData("listen = \"x\" # bell \u0007", 1, 21, "control character")]
    [InlineData("listen = \"x\"\rapi-endpoint = \"y\"", 1, 13, "\\r")]
    [InlineData("listen = bare", 1, 10, "`bare`")]
    public void Malformed_toml_names_the_file_the_line_and_the_column(string text, int line, int column, string reason)
    {
        var error = ReadError(text, "/etc/atticd/server.toml");
        Assert.StartsWith($"Invalid configuration: /etc/atticd/server.toml:{line}:{column}: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void An_error_deep_in_the_file_has_its_own_line()
    {
        var error = ReadError("[storage]\ntype = \"local\"\npath = \"/s\"\n\n[chunking]\nnar-size-threshold = 65536\nmin-size = 16384 KiB");
        Assert.StartsWith("Invalid configuration: server.toml:7:18: ", error.Message);
    }

    [Theory]
    [InlineData("listen = \"a\"\nlisten = \"b\"", 2)]
    [InlineData("listen = \"a\"\n\"listen\" = \"b\"", 2)]
    [InlineData("[storage]\ntype = \"local\"\n[storage]\npath = \"/other\"", 3)]
    [InlineData("[storage]\ntype = \"local\"\npath = \"/a\"\npath = \"/b\"", 4)]
    [InlineData("[storage]\ntype = \"local\"\n[storage.type]", 3)]
    [InlineData("jwt.signing = 1\njwt.signing.token-hs256-secret-base64 = \"x\"", 2)]
    [InlineData("storage.type = \"local\"\nstorage = 2", 2)]
    [InlineData("[storage]\ncredentials.access_key_id = \"a\"\n[storage.credentials]", 3)]
    [InlineData("[chunking]\n[[chunking]]", 2)]
    [InlineData("[[chunking]]\n[chunking]", 2)]
    [InlineData("allowed-hosts = []\n[[allowed-hosts]]", 2)]
    [InlineData("listen = 1\n[listen.x]", 2)]
    [InlineData("storage = { type = \"local\" }\n[storage]\npath = \"/s\"", 2)]
    [InlineData("storage = { type = \"local\" }\nstorage.path = \"/s\"", 2)]
    [InlineData("storage = { type = \"local\", type = \"s3\" }", 1)]
    public void Keys_and_sections_defined_twice_are_errors_at_the_second_definition(string text, int line)
    {
        var error = ReadError(text);
        Assert.StartsWith($"Invalid configuration: server.toml:{line}:", error.Message);
        Assert.Contains("already defined", error.Message);
    }

    [Fact]
    public void Nesting_beyond_the_parsers_limit_is_an_error_naming_the_file()
    {
        var error = ReadError("allowed-hosts = " + new string('[', 200) + new string(']', 200));
        Assert.StartsWith("Invalid configuration: server.toml", error.Message);
    }
}
