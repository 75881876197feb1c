using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// Issue 14, defect 8: what the published binary tells a user or an operator (CLI errors, 4xx bodies) reads as a
/// sentence: no .NET resource key (<c>IO_FileNotFound_FileName</c>, <c>ZeroDepthAtEnd, …</c>), no stack trace.
/// </summary>
public sealed partial class ReadableMessageTests
{
    [Fact]
    public async Task A_missing_config_file_is_one_line_that_says_so()
    {
        var path = "/nonexistent-" + Guid.NewGuid().ToString("N")[..8] + "/server.toml";
        var result = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", path], timeout: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal($"error: cannot read the configuration file {path}: no such file", OneLine(result));
    }

    [Fact]
    public async Task A_directory_given_as_the_config_file_is_one_line_that_says_so()
    {
        var result = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", Path.GetTempPath()], timeout: TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal($"error: cannot read the configuration file {Path.GetTempPath()}: it is a directory", OneLine(result));
    }

    [Fact]
    public async Task An_unusable_storage_path_stops_the_server_with_one_line_not_a_trace()
    {
        var directory = Path.Combine(Path.GetTempPath(), "vega-e2e-msg-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(directory);
            var file = Path.Combine(directory, "a-file");
            File.WriteAllText(file, "not a directory");
            var config = VegaLiteProcess.WriteConfig(directory, storageToml: $"[storage]\ntype = \"local\"\npath = \"{file}/storage\"");
            var result = await Processes.RunAsync(VegaLiteProcess.Binary,
                ["-f", config, "-l", $"127.0.0.1:{VegaLiteProcess.FreePort()}", "--mode", "monolithic"], timeout: TimeSpan.FromSeconds(30));

            Assert.NotEqual(0, result.ExitCode);
            var line = OneLine(result);
            Assert.StartsWith($"error: storage.path \"{file}/storage\" cannot be used: ", line);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_malformed_json_body_gets_a_400_whose_message_is_a_sentence()
    {
        await using var server = await VegaLiteProcess.StartAsync();
        var token = await server.MakeTokenAsync("--create-cache", "*");
        using var http = CacheApi.Client(server.BaseUrl, token);
        using var body = new StringContent("{\"keypair\":", Encoding.UTF8, "application/json");

        using var response = await http.PostAsync("_api/v1/cache-config/messages", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON", text);
        Assert.DoesNotMatch(ResourceKey(), text);
    }

    /// <summary>The process's whole output, asserted to be one line with no resource key and no stack frame.</summary>
    private static string OneLine(ProcessResult result)
    {
        var lines = (result.Stdout + result.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, result.Describe("vega-lite"));
        Assert.DoesNotMatch(ResourceKey(), lines[0]);
        return lines[0];
    }

    /// <summary>
    /// What .NET prints for a message when published with UseSystemResourceKeys: the key (<c>IO_PathNotFound_Path</c>,
    /// <c>BrotliStream_Decompress_InvalidData</c>), or a key with no underscore followed by its arguments
    /// (<c>ZeroDepthAtEnd, …</c>). An environment variable such as <c>ATTIC_SERVER_CONFIG_BASE64</c> is not one.
    /// </summary>
    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9_]*|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+){2,}, ")]
    private static partial Regex ResourceKey();
}
