using System.Net.Http.Headers;
using System.Text;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Tests.Api;

/// <summary>The PUT side of the binary-cache protocol, as `nix copy --to http://…` drives it.</summary>
public sealed class NixUploadTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("up");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Pusher(bool basic = true) => _server.Client(_server.Token(("up", TestServer.PullPush)), basic);

    [Theory]
    [InlineData("zstd")]
    [InlineData("xz")]
    [InlineData("none")]
    public async Task An_uploaded_path_is_served_signed_by_the_cache_with_the_same_NAR(string compression)
    {
        var dependency = TestNar.File("dep", "hello world\n");
        var nar = TestNar.File("top", "refers to " + dependency.StorePath, dependency.BaseName);
        using var client = Pusher();
        await NixUploads.Upload(client, "up", dependency, compression);
        await NixUploads.Upload(client, "up", nar, compression);

        using var infoResponse = await client.GetAsync($"/up/{nar.Hash}.narinfo");
        Assert.Equal(HttpStatusCode.OK, infoResponse.StatusCode);
        Assert.Equal("text/x-nix-narinfo", infoResponse.Content.Headers.ContentType!.MediaType);
        var text = await infoResponse.Content.ReadAsStringAsync();
        Assert.True(NarInfo.TryParse(text, out var info, out var error), error);
        Assert.Equal(nar.StorePath, info!.StorePath);
        Assert.Equal($"nar/{nar.Hash}.nar", info.Url);
        Assert.Equal("zstd", info.Compression);
        Assert.Equal(nar.NarHashNix32, info.NarHash.ToNix32String());
        Assert.Equal([dependency.BaseName], info.References);
        var signature = Assert.Single(info.Sigs);
        var publicKey = await Served.PublicKey(client, "up");
        Assert.True(publicKey.Verify(Encoding.UTF8.GetBytes(info.Fingerprint()), signature));

        using var narResponse = await client.GetAsync($"/up/{info.Url}");
        Assert.Equal(HttpStatusCode.OK, narResponse.StatusCode);
        Assert.Equal("application/x-nix-nar", narResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bytes", narResponse.Headers.AcceptRanges.Single());
        Assert.Empty(narResponse.Content.Headers.ContentEncoding);
        using var decompressed = new ZstdDecompressStream(new MemoryStream(await narResponse.Content.ReadAsByteArrayAsync()));
        using var copy = new MemoryStream();
        await decompressed.CopyToAsync(copy);
        Assert.Equal(nar.Nar, copy.ToArray());
    }

    [Fact]
    public async Task A_remembered_miss_is_forgotten_when_the_path_is_uploaded()
    {
        var nar = TestNar.File("later", "arrives later");
        using var client = Pusher();
        for (var i = 0; i < 2; i++)
        {
            using var miss = await client.GetAsync($"/up/{nar.Hash}.narinfo");
            await Expect.Error(miss, 404, "NoSuchObject");
        }
        await NixUploads.Upload(client, "up", nar, "zstd");
        using var hit = await client.GetAsync($"/up/{nar.Hash}.narinfo");
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
    }

    [Fact]
    public async Task The_empty_references_line_keeps_its_space_and_HEAD_has_no_body()
    {
        var nar = TestNar.File("leaf", "x");
        using var client = Pusher();
        await NixUploads.Upload(client, "up", nar, "zstd");
        var text = await client.GetStringAsync($"/up/{nar.Hash}.narinfo");
        Assert.Contains("\nReferences: \n", text);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/up/{nar.Hash}.narinfo"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task NARs_answer_ranges_with_206_and_unsatisfiable_ones_with_416()
    {
        var nar = TestNar.File("ranged", new byte[200_000]);
        using var client = Pusher();
        await NixUploads.Upload(client, "up", nar, "zstd");
        var whole = await client.GetByteArrayAsync($"/up/nar/{nar.Hash}.nar");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/up/nar/{nar.Hash}.nar");
        request.Headers.Range = new RangeHeaderValue(10, null);
        using var partial = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 10-{whole.Length - 1}/{whole.Length}", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(whole[10..], await partial.Content.ReadAsByteArrayAsync());

        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/up/nar/{nar.Hash}.nar");
        beyond.Headers.Range = new RangeHeaderValue(whole.Length, null);
        using var unsatisfiable = await client.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal($"bytes */{whole.Length}", unsatisfiable.Content.Headers.ContentRange!.ToString());
        Assert.Contains($"selects no bytes of this {whole.Length}-byte NAR", await unsatisfiable.Content.ReadAsStringAsync());

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/up/nar/{nar.Hash}.nar"));
        Assert.Equal(whole.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_NAR_file_whose_hash_differs_from_its_name_is_refused()
    {
        var nar = TestNar.File("liar", "contents");
        var (file, _) = nar.Compressed("zstd");
        var (_, otherName) = TestNar.File("other", "different").Compressed("zstd");
        using var client = Pusher();
        using var response = await NixUploads.Put(client, $"/up/nar/{otherName}", file, "application/x-nix-nar");
        await Expect.Error(response, 400, "RequestError");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/up/nar/{otherName}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Garbage_that_is_not_a_NAR_is_refused()
    {
        var garbage = Encoding.UTF8.GetBytes("this is not a NAR at all");
        var name = Nix32.Encode(System.Security.Cryptography.SHA256.HashData(garbage)) + ".nar";
        using var client = Pusher();
        using var response = await NixUploads.Put(client, $"/up/nar/{name}", garbage, "application/x-nix-nar");
        await Expect.Error(response, 400, "RequestError");
        Assert.Contains("not valid", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_corrupt_compressed_file_is_refused()
    {
        var nar = TestNar.File("cut", new byte[50_000]);
        var (file, _) = nar.Compressed("xz");
        var cut = file[..(file.Length / 2)];
        var name = Nix32.Encode(System.Security.Cryptography.SHA256.HashData(cut)) + ".nar.xz";
        using var client = Pusher();
        using var response = await NixUploads.Put(client, $"/up/nar/{name}", cut, "application/x-nix-nar");
        await Expect.Error(response, 400, "RequestError");
    }

    [Theory]
    [InlineData("garbage that is not brotli at all, repeated to be long enough to decode")]
    [InlineData("\u00ff\u00ff\u00ff\u00ff")]
    public async Task A_corrupt_brotli_file_is_a_400_not_a_500(string body)
    {
        var bytes = Encoding.Latin1.GetBytes(body);
        var name = Nix32.Encode(System.Security.Cryptography.SHA256.HashData(bytes)) + ".nar.br";
        using var client = Pusher();
        using var response = await NixUploads.Put(client, $"/up/nar/{name}", bytes, "application/x-nix-nar");
        await Expect.Error(response, 400, "RequestError");
        Assert.Contains("brotli data is corrupt", await response.Content.ReadAsStringAsync());
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/up/nar/{name}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(70)]
    [InlineData(300)]
    public async Task A_store_path_of_any_depth_is_accepted_and_served_back_identical(int depth)
    {
        var nar = TestNar.DeepTree("deep", depth);
        using var client = Pusher();
        await NixUploads.Upload(client, "up", nar, "zstd");
        using var attic = _server.Client(_server.RootToken);
        var other = TestNar.DeepTree("deep-attic", depth + 1);
        using (var pushed = await AtticUploads.Upload(attic, "up", other))
        {
            Assert.True(pushed.IsSuccessStatusCode, await pushed.Content.ReadAsStringAsync());
        }
        foreach (var path in new[] { nar, other })
        {
            var info = await Served.SignedNarInfo(attic, "up", path.Hash);
            Assert.Equal(path.Nar, await Served.Nar(attic, "up", info));
        }
    }

    [Fact]
    public async Task A_narinfo_must_name_an_uploaded_NAR_with_matching_hash_and_size()
    {
        var nar = TestNar.File("checked", "payload");
        var (file, fileName) = nar.Compressed("zstd");
        using var client = Pusher();
        using (var early = await NixUploads.Put(client, $"/up/{nar.Hash}.narinfo", Encoding.UTF8.GetBytes(nar.NarInfo(fileName, "zstd")), "text/x-nix-narinfo"))
        {
            await Expect.Error(early, 400, "RequestError");
        }
        using (var put = await NixUploads.Put(client, $"/up/nar/{fileName}", file, "application/x-nix-nar"))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var wrongHash = "sha256:" + Nix32.Encode(new byte[32]);
        foreach (var lie in new[] { nar.NarInfo(fileName, "zstd", narHash: wrongHash), nar.NarInfo(fileName, "zstd", narSize: nar.Nar.Length + 8) })
        {
            using var response = await NixUploads.Put(client, $"/up/{nar.Hash}.narinfo", Encoding.UTF8.GetBytes(lie), "text/x-nix-narinfo");
            await Expect.Error(response, 400, "RequestError");
        }
        using (var otherName = await NixUploads.Put(client, $"/up/{TestNar.RandomHash()}.narinfo", Encoding.UTF8.GetBytes(nar.NarInfo(fileName, "zstd")), "text/x-nix-narinfo"))
        {
            await Expect.Error(otherName, 400, "RequestError");
        }
        using var missing = await client.GetAsync($"/up/{nar.Hash}.narinfo");
        await Expect.Error(missing, 404, "NoSuchObject");
    }

    [Theory]
    [InlineData("StorePath: /nix/store/x\n")]
    [InlineData("garbage")]
    [InlineData("StorePath: {path}\nURL: nar/{file}\nNarHash: sha256:zzz\nNarSize: 5\nReferences: \n")]
    [InlineData("StorePath: {path}\r\nURL: nar/{file}\r\n")]
    public async Task A_malformed_narinfo_is_a_400_with_a_message(string template)
    {
        var nar = TestNar.File("malformed", "m");
        var (file, fileName) = nar.Compressed("none");
        using var client = Pusher();
        using (await NixUploads.Put(client, $"/up/nar/{fileName}", file, "application/x-nix-nar"))
        {
        }
        var body = template.Replace("{path}", nar.StorePath).Replace("{file}", fileName);
        using var response = await NixUploads.Put(client, $"/up/{nar.Hash}.narinfo", Encoding.UTF8.GetBytes(body), "text/x-nix-narinfo");
        await Expect.Error(response, 400, "RequestError");
    }

    [Fact]
    public async Task Pushing_needs_w_anonymous_401_reader_403()
    {
        var nar = TestNar.File("denied", "d");
        var (file, fileName) = nar.Compressed("zstd");
        using (var anonymous = _server.Client())
        using (var response = await NixUploads.Put(anonymous, $"/up/nar/{fileName}", file, "application/x-nix-nar"))
        {
            await Expect.Error(response, 401, "Unauthorized");
        }
        using (var reader = _server.Client(_server.Token(("up", TestServer.PullOnly)), basic: true))
        using (var response = await NixUploads.Put(reader, $"/up/nar/{fileName}", file, "application/x-nix-nar"))
        {
            await Expect.Error(response, 403, "AccessError");
        }
        using (var invalid = _server.Client("not.a.token", basic: true))
        using (var response = await NixUploads.Put(invalid, $"/up/nar/{fileName}", file, "application/x-nix-nar"))
        {
            await Expect.Error(response, 401, "Unauthorized");
        }
        Assert.Empty(Directory.EnumerateFiles(_server.StorageDirectory, "*.chunk", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Nix_cache_info_can_be_PUT_for_an_existing_cache_but_not_for_another_store_dir()
    {
        using var client = Pusher();
        using (var ok = await NixUploads.Put(client, "/up/nix-cache-info", "StoreDir: /nix/store\n"u8.ToArray(), "text/x-nix-cache-info"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var other = await NixUploads.Put(client, "/up/nix-cache-info", "StoreDir: /gnu/store\n"u8.ToArray(), "text/x-nix-cache-info"))
        {
            await Expect.Error(other, 400, "RequestError");
        }
        using var missing = await NixUploads.Put(_server.Client(_server.RootToken), "/absent/nix-cache-info", "StoreDir: /nix/store\n"u8.ToArray(), "text/x-nix-cache-info");
        await Expect.Error(missing, 404, "NoSuchCache");
    }

    [Fact]
    public async Task The_same_NAR_uploaded_twice_is_stored_once()
    {
        var nar = TestNar.File("twice", new byte[100_000]);
        using var client = Pusher();
        await NixUploads.Upload(client, "up", nar, "zstd");
        var copy = nar with { StorePath = $"/nix/store/{TestNar.RandomHash()}-twice" };
        var (file, fileName) = copy.Compressed("xz");
        using (var put = await NixUploads.Put(client, $"/up/nar/{fileName}", file, "application/x-nix-nar"))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using (var info = await NixUploads.Put(client, $"/up/{copy.Hash}.narinfo", Encoding.UTF8.GetBytes(copy.NarInfo(fileName, "xz")), "text/x-nix-narinfo"))
        {
            Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        }
        Assert.Single(Directory.EnumerateFiles(_server.StorageDirectory, "*.chunk", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_server.StorageDirectory, ".tmp")));
    }

    [Fact]
    public async Task A_body_larger_than_kestrels_30_MB_default_is_accepted()
    {
        var big = new byte[40 * 1024 * 1024];
        new Random(7).NextBytes(big.AsSpan(0, 1024 * 1024));
        var nar = TestNar.File("big", big);
        using var client = Pusher();
        await NixUploads.Upload(client, "up", nar, "none");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/up/{nar.Hash}.narinfo"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }
}
