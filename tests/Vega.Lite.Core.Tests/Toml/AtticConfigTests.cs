using Vega.Lite.Core.Toml;
using Xunit;

namespace Vega.Lite.Core.Tests.Toml;

public sealed class AtticConfigTests
{
    private const string ServerToml = """
        listen = "[::]:8080"
        allowed-hosts = []
        api-endpoint = "https://cache.example.org/"
        [database]
        url = "sqlite:///var/lib/atticd/server.db?mode=rwc"
        [storage]
        type = "local"
        path = "/var/lib/atticd/storage"
        [chunking]
        nar-size-threshold = 65536 # chunk files that are 64 KiB or larger
        min-size = 16384
        avg-size = 65536
        max-size = 262144
        [compression]
        type = "zstd"
        [garbage-collection]
        interval = "12 hours"
        [jwt.signing]
        token-rs256-secret-base64 = "LS0t..."
        """;

    [Fact]
    public void ParsesEveryValueOfTheServerConfig()
    {
        var root = TomlParser.Parse(ServerToml, "server.toml");

        Assert.Equal(
            ["listen", "allowed-hosts", "api-endpoint", "database", "storage", "chunking", "compression", "garbage-collection", "jwt"],
            root.Keys);
        Assert.Equal("[::]:8080", Str(root, "listen"));
        var hosts = Assert.IsType<TomlArray>(root["allowed-hosts"]);
        Assert.Empty(hosts.Items);
        Assert.False(hosts.IsArrayOfTables);
        Assert.Equal("https://cache.example.org/", Str(root, "api-endpoint"));

        var database = Table(root, "database");
        Assert.Single(database);
        Assert.Equal("sqlite:///var/lib/atticd/server.db?mode=rwc", Str(database, "url"));

        var storage = Table(root, "storage");
        Assert.Equal(["type", "path"], storage.Keys);
        Assert.Equal("local", Str(storage, "type"));
        Assert.Equal("/var/lib/atticd/storage", Str(storage, "path"));

        var chunking = Table(root, "chunking");
        Assert.Equal(["nar-size-threshold", "min-size", "avg-size", "max-size"], chunking.Keys);
        Assert.Equal(65536, Int(chunking, "nar-size-threshold"));
        Assert.Equal(16384, Int(chunking, "min-size"));
        Assert.Equal(65536, Int(chunking, "avg-size"));
        Assert.Equal(262144, Int(chunking, "max-size"));

        Assert.Equal("zstd", Str(Table(root, "compression"), "type"));
        Assert.Equal("12 hours", Str(Table(root, "garbage-collection"), "interval"));

        var jwt = Table(root, "jwt");
        Assert.Equal(["signing"], jwt.Keys);
        Assert.Equal("LS0t...", Str(Table(jwt, "signing"), "token-rs256-secret-base64"));
    }

    [Fact]
    public void RecordsLineNumbersOfValuesAndTables()
    {
        var root = TomlParser.Parse(ServerToml, "server.toml");

        Assert.Equal(1, root["listen"].Line);
        Assert.Equal(2, root["allowed-hosts"].Line);
        Assert.Equal(4, root["database"].Line);
        Assert.Equal(5, Table(root, "database")["url"].Line);
        Assert.Equal(10, Table(root, "chunking")["nar-size-threshold"].Line);
        Assert.Equal(17, Table(root, "garbage-collection")["interval"].Line);
        Assert.Equal(18, root["jwt"].Line);
        Assert.Equal(18, Table(root, "jwt")["signing"].Line);
        Assert.Equal(19, Table(Table(root, "jwt"), "signing")["token-rs256-secret-base64"].Line);
    }

    [Fact]
    public void ParsesTheConfigWithCrlfAndByteOrderMark()
    {
        var text = "\uFEFF" + ServerToml.ReplaceLineEndings("\r\n") + "\r\n";
        var root = TomlParser.Parse(text, "server.toml");

        Assert.Equal("[::]:8080", Str(root, "listen"));
        Assert.Equal(262144, Int(Table(root, "chunking"), "max-size"));
        Assert.Equal(19, Table(Table(root, "jwt"), "signing")["token-rs256-secret-base64"].Line);
    }

    [Fact]
    public void ReportsErrorsWithTheSourceNameAndPosition()
    {
        var text = ServerToml.Replace("min-size = 16384", "min-size = 16384 KiB", StringComparison.Ordinal);
        var ex = Assert.Throws<TomlException>(() => TomlParser.Parse(text, "/etc/atticd/server.toml"));

        Assert.Equal(11, ex.Line);
        Assert.Equal(18, ex.Column);
        Assert.StartsWith("/etc/atticd/server.toml:11:18: ", ex.Message, StringComparison.Ordinal);
    }

    private static TomlTable Table(TomlTable table, string key) => Assert.IsType<TomlTable>(table[key]);

    private static string Str(TomlTable table, string key) => Assert.IsType<TomlString>(table[key]).Value;

    private static long Int(TomlTable table, string key) => Assert.IsType<TomlInteger>(table[key]).Value;
}
