using Vega.Lite.Config;

namespace Vega.Lite.Tests.Config;

/// <summary>
/// The ways TOML can spell the same configuration (sections, dotted keys, inline tables, every string and integer
/// form) read alike, and a wrong value's message names the line it is on.
/// </summary>
public sealed class TomlFormTests
{
    private static ServerConfig Read(string text) => ConfigReader.Read(text, "server.toml", _ => null);

    private static ConfigException ReadError(string text) => Assert.Throws<ConfigException>(() => Read(text));

    private const string Sections = """
        allowed-hosts = ["a.example", "b.example"]
        max-nar-info-size = 1048576
        [database]
        url = "sqlite:///tmp/x.db"
        [storage]
        type = "s3"
        region = "r"
        bucket = "b"
        [storage.credentials]
        access_key_id = "AKID"
        secret_access_key = "SECRET"
        [jwt.signing]
        token-hs256-secret-base64 = "c2VjcmV0"
        """;

    [Fact]
    public void Dotted_keys_and_inline_tables_read_like_sections()
    {
        var dotted = Read("""
            allowed-hosts = [ # comments and a trailing comma inside an array
              "a.example",
              'b.example',
            ]
            max-nar-info-size = 1_048_576
            database.url = "sqlite:///tmp/x.db"
            storage = { type = "s3", region = "r", bucket = "b", credentials = { access_key_id = "AKID", secret_access_key = "SECRET" } }
            jwt.signing."token-hs256-secret-base64" = 'c2VjcmV0'
            """);
        Assert.Equal(Read(Sections) with { AllowedHosts = [] }, dotted with { AllowedHosts = [] });
        Assert.Equal(["a.example", "b.example"], dotted.AllowedHosts);
    }

    [Fact]
    public void A_section_may_follow_its_own_subsection()
    {
        var config = Read("""
            [storage.credentials]
            access_key_id = "AKID"
            secret_access_key = "SECRET"
            [storage]
            type = "s3"
            region = "r"
            bucket = "b"
            [database]
            url = "sqlite:///tmp/x.db"
            [jwt]
            signing.token-hs256-secret-base64 = "c2VjcmV0"
            """);
        Assert.Equal(new S3StorageConfig("r", "b", null, "AKID", "SECRET"), config.Storage);
        Assert.Equal("c2VjcmV0", config.Jwt.Signing.Base64Value);
    }

    [Theory]
    [InlineData("\"/var/lib/caf\\u00E9 \\\"x\\\"\"", "/var/lib/café \"x\"")]
    [InlineData("'C:\\Users\\attic'", "C:\\Users\\attic")]
    [InlineData("\"\"\"\n/var/lib/\\\n    attic\"\"\"", "/var/lib/attic")]
    [InlineData("'''\n/var/lib/attic'''", "/var/lib/attic")]
    public void Every_string_form_is_a_string(string literal, string expected) =>
        Assert.Equal(new LocalStorageConfig(expected), Read(Storage("path = " + literal)).Storage);

    [Theory]
    [InlineData("0x100000", 1048576)]
    [InlineData("0o4000000", 1048576)]
    [InlineData("0b1_0000_0000_0000_0000_0000", 1048576)]
    [InlineData("+4_096", 4096)]
    public void Every_integer_form_is_an_integer(string literal, long expected) =>
        Assert.Equal(expected, Read("max-nar-info-size = " + literal + "\n" + Storage("path = \"/s\"")).MaxNarInfoSize);

    [Theory]
    [InlineData("max-nar-info-size = 1.5", "max-nar-info-size: must be an integer")]
    [InlineData("max-nar-info-size = inf", "max-nar-info-size: must be an integer")]
    [InlineData("max-nar-info-size = 0", "max-nar-info-size: must be between 1 and")]
    [InlineData("listen = 1979-05-27T07:32:00Z", "listen: must be a string")]
    [InlineData("listen = [\"[::]:8080\"]", "listen: must be a string")]
    [InlineData("listen = { host = \"::\" }", "listen: must be a string")]
    [InlineData("soft-delete-caches = 1", "soft-delete-caches: must be true or false")]
    [InlineData("allowed-hosts = [\"a\", 1]", "allowed-hosts: must be an array of strings")]
    [InlineData("allowed-hosts = \"a\"", "allowed-hosts: must be an array of strings")]
    [InlineData("garbage-collection = \"12 hours\"", "garbage-collection: must be a table")]
    [InlineData("[[garbage-collection]]\ninterval = \"12 hours\"", "garbage-collection: must be a table")]
    [InlineData("[[bogus]]", "bogus: unknown key")]
    [InlineData("bogus.key = 1", "bogus: unknown key")]
    public void A_value_of_the_wrong_type_names_its_key_and_line(string first, string expected) =>
        Assert.Contains("server.toml:1: " + expected, ReadError(first + "\n" + Storage("path = \"/s\"")).Message);

    [Fact]
    public void Lines_count_from_the_top_across_multi_line_values_and_sections()
    {
        var text = """
            allowed-hosts = [
              "a",
              2,
            ]
            listen = '''
            two
            lines'''
            [database]
            url = "sqlite:///tmp/x.db"
            [storage]
            type = "local"
            path = "/s"
            [jwt.signing]
            token-hs256-secret-base64 = "x"
            token-rs256-pubkey-base64 = "y"
            [garbage-collection]
            interval = "soon"
            """;
        Assert.Contains("server.toml:1: allowed-hosts: must be an array of strings", ReadError(text).Message);
        text = text.Replace("  2,", "  \"b\",", StringComparison.Ordinal);
        Assert.Contains("server.toml:17: garbage-collection.interval:", ReadError(text).Message);
        text = text.Replace("\"soon\"", "\"1 day\"", StringComparison.Ordinal);
        Assert.Contains("server.toml:13: jwt.signing: set exactly one", ReadError(text).Message);
        text = text.Replace("[storage]", "[storage]\ntype = \"s3\"", StringComparison.Ordinal);
        Assert.StartsWith("Invalid configuration: server.toml:12:1: ", ReadError(text).Message);
    }

    [Fact]
    public void Crlf_line_ends_and_a_byte_order_mark_change_nothing()
    {
        var text = "\uFEFF" + Sections.ReplaceLineEndings("\r\n") + "\r\n";
        Assert.Equal(Read(Sections) with { AllowedHosts = [] }, Read(text) with { AllowedHosts = [] });
        var bad = "\uFEFF" + Storage("path = 1").ReplaceLineEndings("\r\n");
        Assert.Contains("server.toml:7: storage.path: must be a string", ReadError(bad).Message);
    }

    /// <summary>
    /// TOML 1.1, as atticd reads it since it moved to the <c>toml</c> crate 1.1 (2026-06-24); an older atticd, on
    /// TOML 1.0, refuses these forms.
    /// </summary>
    [Fact]
    public void Toml_1_1_forms_are_accepted()
    {
        var config = Read("""
            listen = "\x5b::]:8080"
            storage = {
              type = "local",
              path = "/s",
            }
            [database]
            url = "sqlite:///tmp/x.db"
            [jwt.signing]
            token-hs256-secret-base64 = "c2VjcmV0"
            """);
        Assert.Equal("[::]:8080", config.Listen);
        Assert.Equal(new LocalStorageConfig("/s"), config.Storage);
    }

    private static string Storage(string pathLine) => $"""
        [database]
        url = "sqlite:///tmp/x.db"
        [jwt.signing]
        token-hs256-secret-base64 = "c2VjcmV0"
        [storage]
        type = "local"
        {pathLine}
        """;
}
