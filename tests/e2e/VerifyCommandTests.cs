using System.Net;
using System.Security.Cryptography;
using System.Text;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// <c>vega-lite verify</c> of the published binary beside its running server, on a data directory that lost a blob
/// (issue 14, defect 4): it reports and records the loss, exits 1, and exits 0 again once the path is pushed again.
/// </summary>
public sealed class VerifyCommandTests
{
    private const string Chunking = "[chunking]\nnar-size-threshold = 1\nmin-size = 16384\navg-size = 65536\nmax-size = 262144";

    private static async Task<ProcessResult> VerifyAsync(VegaLiteProcess server, params string[] args) =>
        await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", server.ConfigPath, .. args], timeout: TimeSpan.FromSeconds(120));

    private static Task<string> UploadAsync(HttpClient client, string storePath, byte[] nar) =>
        CacheApi.UploadPathAsync(client, "verified", storePath, nar);

    private static async Task<string> MissingAsync(HttpClient client, string hash)
    {
        using var response = await client.PostAsync("_api/v1/get-missing-paths",
            new StringContent($$"""{"cache":"verified","store_path_hashes":["{{hash}}"]}""", Encoding.UTF8, "application/json"));
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Verify_reports_and_records_a_deleted_blob_and_exits_1_until_the_path_is_pushed_again()
    {
        await using var server = await VegaLiteProcess.StartAsync(extraToml: Chunking);
        var token = await server.MakeTokenAsync("--push", "*", "--pull", "*", "--create-cache", "*");
        using (var api = new CacheApi(server.BaseUrl, token))
        {
            await api.CreateCacheAsync("verified");
        }
        using var http = CacheApi.Client(server.BaseUrl, token);
        var file = Path.Combine(server.Directory, "payload");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(400_000));
        var nar = Nars.Dump(file);
        const string hash = "0123456789abcdfghijklmnpqrsvwxyz";
        var storePath = $"/nix/store/{hash}-payload";
        Assert.Equal("Uploaded", await UploadAsync(http, storePath, nar));
        var blobs = server.BlobFiles();
        Assert.True(blobs.Length > 2, $"expected a chunked NAR, found {blobs.Length} blobs");

        Assert.Equal(HttpStatusCode.OK, await NarInfoStatusAsync(http, hash)); // now held in the server's memory
        var clean = await VerifyAsync(server, "verify");
        Assert.True(clean.ExitCode == 0, clean.Describe("verify"));
        Assert.StartsWith($"Verified {blobs.Length} chunks: 0 missing", clean.Stdout.Trim());

        File.Delete(blobs[1]);
        var lost = await VerifyAsync(server, "verify");
        Assert.True(lost.ExitCode == 1, lost.Describe("verify"));
        var lines = lost.Stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains($"(blob {Path.GetFileName(blobs[1])}): its blob is missing", lines[0]);
        Assert.StartsWith($"Verified {blobs.Length} chunks: 1 missing, 0 corrupted, 0 lost earlier, 0 restored; 1 NARs (1 store paths)", lines[1]);
        Assert.Contains(hash, await MissingAsync(http, hash)); // recorded in the running server's database
        // The server held the narinfo from before verify ran; verify moved the invalidation counter, the server's
        // poll (once a second) dropped it: the path is missing for Nix now, before anyone asks for the NAR.
        Assert.Equal(HttpStatusCode.NotFound, await CacheApi.WaitForStatusAsync(http, $"verified/{hash}.narinfo", HttpStatusCode.NotFound));
        using (var download = await http.GetAsync($"verified/nar/{hash}.nar"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, download.StatusCode);
        }

        var again = await VerifyAsync(server, "--mode", "verify", "--check-hashes");
        Assert.True(again.ExitCode == 1, again.Describe("--mode verify"));
        Assert.Contains("1 lost earlier", again.Stdout);

        Assert.Equal("Uploaded", await UploadAsync(http, storePath, nar));
        var repaired = await VerifyAsync(server, "verify", "--check-hashes");
        Assert.True(repaired.ExitCode == 0, repaired.Describe("verify --check-hashes"));
        Assert.DoesNotContain(hash, await MissingAsync(http, hash));
        using var whole = await http.GetAsync($"verified/nar/{hash}.nar");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await NarInfoStatusAsync(http, hash));
    }

    private static Task<HttpStatusCode> NarInfoStatusAsync(HttpClient http, string hash) => CacheApi.StatusAsync(http, $"verified/{hash}.narinfo");
}
