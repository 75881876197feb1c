using System.Text.Json;

namespace Vega.Lite.Tests.Api;

/// <summary><c>PUT /_api/v1/upload-path</c> as the attic client drives it (docs/attic-api.md §3.4, §6.3).</summary>
public sealed class UploadPathTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("push");
        await _server.CreateCacheAsync("other");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Root() => _server.Client(_server.RootToken);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upload_answers_Uploaded_and_the_path_is_served_signed_with_the_same_NAR(bool preamble)
    {
        var dependency = TestNar.File("dep", "not uploaded yet");
        var nar = TestNar.File("top", "refers to " + dependency.StorePath, dependency.BaseName);
        using var client = Root();
        using var response = await AtticUploads.Upload(client, "push", nar, preamble);
        var result = await AtticUploads.ReadResult(response);
        Assert.Equal(["kind", "file_size", "frac_deduplicated"], result.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Uploaded", result.GetProperty("kind").GetString());
        Assert.True(result.GetProperty("file_size").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("frac_deduplicated").ValueKind);

        var info = await Served.SignedNarInfo(client, "push", nar.Hash);
        Assert.Equal(nar.StorePath, info.StorePath);
        Assert.Equal($"nar/{nar.Hash}.nar", info.Url);
        Assert.Equal(nar.NarHashNix32, info.NarHash.ToNix32String());
        Assert.Equal(nar.Nar.Length, info.NarSize);
        Assert.Equal([dependency.BaseName], info.References);
        Assert.Equal(nar.Nar, await Served.Nar(client, "push", info));
    }

    [Fact]
    public async Task A_nix32_nar_hash_is_accepted_and_the_preamble_wins_over_the_header()
    {
        var nar = TestNar.File("nix32", "hash in base-32");
        using var client = Root();
        var infoJson = AtticUploads.NarInfoJson("push", nar, narHash: nar.NarHashNix32);
        var request = new HttpRequestMessage(HttpMethod.Put, "/_api/v1/upload-path")
        {
            Content = new ByteArrayContent([.. System.Text.Encoding.UTF8.GetBytes(infoJson), .. nar.Nar]),
        };
        request.Headers.Add("X-Attic-Nar-Info-Preamble-Size", System.Text.Encoding.UTF8.GetByteCount(infoJson).ToString());
        request.Headers.Add("X-Attic-Nar-Info", "this header is ignored when a preamble is announced");
        using var response = await client.SendAsync(request);
        Assert.Equal("Uploaded", (await AtticUploads.ReadResult(response)).GetProperty("kind").GetString());
        Assert.Equal(nar.Nar, await Served.Nar(client, "push", await Served.SignedNarInfo(client, "push", nar.Hash)));
    }

    [Fact]
    public async Task A_big_info_with_many_signatures_goes_through_the_preamble()
    {
        var nar = TestNar.File("sigs", "many signatures");
        var infoJson = AtticUploads.NarInfoJson("push", nar, sigs: 60);
        Assert.True(infoJson.Length >= 4096, "the client switches to the preamble at 4096 bytes");
        using var client = Root();
        using var response = await AtticUploads.Send(client, infoJson, nar.Nar, preamble: true);
        Assert.Equal("Uploaded", (await AtticUploads.ReadResult(response)).GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("size")]
    [InlineData("short body")]
    public async Task A_claim_that_does_not_match_the_body_is_refused_and_leaves_nothing(string wrong)
    {
        var nar = TestNar.File("liar", "claims something else");
        var other = TestNar.File("other", "different bytes");
        using var client = Root();
        var (infoJson, body) = wrong switch
        {
            "hash" => (AtticUploads.NarInfoJson("push", nar, narHash: AtticUploads.HexNarHash(other.Nar)), nar.Nar),
            "size" => (AtticUploads.NarInfoJson("push", nar, narSize: nar.Nar.Length - 1), nar.Nar),
            _ => (AtticUploads.NarInfoJson("push", nar), nar.Nar[..^8]),
        };
        using var response = await AtticUploads.Send(client, infoJson, body);
        await Expect.Error(response, 400, "RequestError");
        Assert.Contains("Bad NAR Hash or Size", await response.Content.ReadAsStringAsync());

        using var narinfo = await client.GetAsync($"/push/{nar.Hash}.narinfo");
        await Expect.Error(narinfo, 404, "NoSuchObject");
        Assert.Empty(Served.BlobFiles(_server.StorageDirectory));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_server.StorageDirectory, ".tmp")));
    }

    [Fact]
    public async Task An_upload_cut_off_mid_body_leaves_no_path_no_blob_and_no_temp_file()
    {
        var nar = TestNar.File("cut", new byte[2 * 1024 * 1024]);
        using var client = Root();
        var body = new Body(nar.Nar, failAt: nar.Nar.Length / 2);
        await Assert.ThrowsAnyAsync<Exception>(() => AtticUploads.Send(client, AtticUploads.NarInfoJson("push", nar), body));

        var tmp = Path.Combine(_server.StorageDirectory, ".tmp");
        for (var i = 0; i < 200 && (Directory.EnumerateFiles(tmp).Any() || Served.BlobFiles(_server.StorageDirectory).Length > 0); i++)
        {
            await Task.Delay(50); // the server notices the reset on its next read, then deletes what it wrote
        }
        Assert.Empty(Directory.Exists(tmp) ? Directory.EnumerateFiles(tmp) : []);
        Assert.Empty(Served.BlobFiles(_server.StorageDirectory));
        using var narinfo = await client.GetAsync($"/push/{nar.Hash}.narinfo");
        await Expect.Error(narinfo, 404, "NoSuchObject");
    }

    [Fact]
    public async Task A_body_that_is_not_a_NAR_is_refused_even_with_a_matching_hash()
    {
        var garbage = System.Text.Encoding.UTF8.GetBytes("this is not a NAR archive at all");
        var nar = new TestNar($"/nix/store/{TestNar.RandomHash()}-garbage", garbage, []);
        using var client = Root();
        using var response = await AtticUploads.Upload(client, "push", nar);
        await Expect.Error(response, 400, "RequestError");
        Assert.Empty(Served.BlobFiles(_server.StorageDirectory));
    }

    [Fact]
    public async Task The_same_NAR_in_a_second_cache_is_Deduplicated_and_stored_once()
    {
        var nar = TestNar.File("shared", "stored once");
        var twin = nar with { StorePath = $"/nix/store/{TestNar.RandomHash()}-twin" };
        using var client = Root();
        using (var first = await AtticUploads.Upload(client, "push", nar))
        {
            Assert.Equal("Uploaded", (await AtticUploads.ReadResult(first)).GetProperty("kind").GetString());
        }
        using (var second = await AtticUploads.Upload(client, "other", twin))
        {
            var result = await AtticUploads.ReadResult(second);
            Assert.Equal(["kind", "frac_deduplicated"], result.EnumerateObject().Select(p => p.Name));
            Assert.Equal("Deduplicated", result.GetProperty("kind").GetString());
            Assert.Equal(JsonValueKind.Null, result.GetProperty("frac_deduplicated").ValueKind);
        }
        Assert.Single(Served.BlobFiles(_server.StorageDirectory));
        var info = await Served.SignedNarInfo(client, "other", twin.Hash);
        Assert.Equal(twin.StorePath, info.StorePath);
        Assert.Equal(nar.Nar, await Served.Nar(client, "other", info));
    }

    [Theory]
    [InlineData("other bytes")]
    [InlineData("no body")]
    public async Task Dedup_still_requires_the_whole_body_when_proof_of_possession_is_on(string body)
    {
        var nar = TestNar.File("secret", "only the owner has these bytes");
        using var client = Root();
        (await AtticUploads.Upload(client, "push", nar)).Dispose();
        var forged = body == "no body" ? [] : TestNar.File("x", "forged").Nar;
        var thief = nar with { StorePath = $"/nix/store/{TestNar.RandomHash()}-stolen" };
        using var response = await AtticUploads.Send(client, AtticUploads.NarInfoJson("other", thief, AtticUploads.HexNarHash(nar.Nar)), forged);
        await Expect.Error(response, 400, "RequestError");
        Assert.Contains("Bad NAR Hash or Size", await response.Content.ReadAsStringAsync());
        using var narinfo = await client.GetAsync($"/other/{thief.Hash}.narinfo");
        await Expect.Error(narinfo, 404, "NoSuchObject");
    }

    [Fact]
    public async Task Without_proof_of_possession_dedup_reads_no_body()
    {
        await using var server = await TestServer.StartAsync("require-proof-of-possession = false");
        await server.CreateCacheAsync("a");
        await server.CreateCacheAsync("b");
        var nar = TestNar.File("trusted", "trusted pushers");
        using var client = server.Client(server.RootToken);
        (await AtticUploads.Upload(client, "a", nar)).Dispose();
        using var response = await AtticUploads.Send(client, AtticUploads.NarInfoJson("b", nar), []);
        Assert.Equal("Deduplicated", (await AtticUploads.ReadResult(response)).GetProperty("kind").GetString());
        Assert.Equal(nar.Nar, await Served.Nar(client, "b", await Served.SignedNarInfo(client, "b", nar.Hash)));
    }

    [Fact]
    public async Task Uploading_a_path_again_replaces_its_metadata()
    {
        var nar = TestNar.File("again", "same bytes");
        var dependency = TestNar.File("dep", "x");
        using var client = Root();
        (await AtticUploads.Upload(client, "push", nar)).Dispose();
        (await AtticUploads.Upload(client, "push", nar with { References = [dependency.BaseName] })).Dispose();
        Assert.Equal([dependency.BaseName], (await Served.SignedNarInfo(client, "push", nar.Hash)).References);
    }

    [Theory]
    [InlineData(null, null, "X-Attic-Nar-Info must be set")]
    [InlineData("X-Attic-Nar-Info-Preamble-Size", "12a", "X-Attic-Nar-Info-Preamble-Size must be a valid unsigned integer")]
    [InlineData("X-Attic-Nar-Info-Preamble-Size", "-1", "X-Attic-Nar-Info-Preamble-Size must be a valid unsigned integer")]
    [InlineData("X-Attic-Nar-Info-Preamble-Size", "1048577", "Upload info is too large")]
    [InlineData("X-Attic-Nar-Info-Preamble-Size", "100000", "Upload info doesn't match specified size")]
    [InlineData("X-Attic-Nar-Info", "{not json", "General request error: upload info:")]
    [InlineData("X-Attic-Nar-Info", """{"cache":"push"}""", "General request error: upload info:")]
    public async Task Bad_upload_info_is_a_400_RequestError_with_Attics_detail(string? header, string? value, string message)
    {
        using var client = Root();
        var request = new HttpRequestMessage(HttpMethod.Put, "/_api/v1/upload-path") { Content = new ByteArrayContent(new byte[100]) };
        if (header is not null)
        {
            request.Headers.Add(header, value);
        }
        using var response = await client.SendAsync(request);
        await Expect.Error(response, 400, "RequestError");
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("cache", "Bad!Name")]
    [InlineData("store_path_hash", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")]
    [InlineData("nar_hash", "md5:00000000000000000000000000000000")]
    public async Task An_invalid_field_in_the_info_is_a_400(string field, string value)
    {
        var nar = TestNar.File("f", "x");
        using var json = JsonDocument.Parse(AtticUploads.NarInfoJson("push", nar));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == field)
                {
                    writer.WriteString(field, value);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        using var client = Root();
        using var response = await AtticUploads.Send(client, System.Text.Encoding.UTF8.GetString(buffer.ToArray()), nar.Nar);
        await Expect.Error(response, 400, "RequestError");
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Push_follows_Attics_discovery_rules()
    {
        await _server.CreateCacheAsync("open", isPublic: true);
        var nar = TestNar.File("p", "x");
        using (var anonymous = _server.Client())
        {
            using var toPrivate = await AtticUploads.Upload(anonymous, "push", nar);
            await Expect.Error(toPrivate, 401, "Unauthorized");
            using var toPublic = await AtticUploads.Upload(anonymous, "open", nar);
            await Expect.Error(toPublic, 403, "AccessError");
        }
        using (var reader = _server.Client(_server.Token(("push", TestServer.PullOnly))))
        {
            using var response = await AtticUploads.Upload(reader, "push", nar);
            await Expect.Error(response, 403, "AccessError");
        }
        using (var root = Root())
        {
            using var response = await AtticUploads.Upload(root, "nowhere", nar);
            await Expect.Error(response, 404, "NoSuchCache");
        }
        using (var basic = _server.Client(_server.Token(("push", TestServer.PushOnly)), basic: true))
        {
            using var response = await AtticUploads.Upload(basic, "push", nar);
            Assert.Equal("Uploaded", (await AtticUploads.ReadResult(response)).GetProperty("kind").GetString());
        }
    }
}
