using System.Text;
using System.Text.Json;
using Vega.Lite.Core.Compression;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Tests.Support;

/// <summary>What a cache serves for a path, fetched and checked the way Nix checks it.</summary>
public static class Served
{
    public static async Task<NixPublicKey> PublicKey(HttpClient client, string cache)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/_api/v1/cache-config/{cache}"));
        return NixPublicKey.Parse(json.RootElement.GetProperty("public_key").GetString()!);
    }

    /// <summary>The path's narinfo, which must parse and carry one signature that verifies with the cache's key.</summary>
    public static async Task<NarInfo> SignedNarInfo(HttpClient client, string cache, string storePathHash)
    {
        using var response = await client.GetAsync($"/{cache}/{storePathHash}.narinfo");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"narinfo: {(int)response.StatusCode} {text}");
        Assert.True(NarInfo.TryParse(text, out var info, out var error), error);
        var signature = Assert.Single(info!.Sigs);
        var key = await PublicKey(client, cache);
        Assert.True(key.Verify(Encoding.UTF8.GetBytes(info.Fingerprint()), signature), "the narinfo's Sig does not verify");
        return info;
    }

    /// <summary>The NAR the narinfo points at, decompressed per its Compression field.</summary>
    public static async Task<byte[]> Nar(HttpClient client, string cache, NarInfo info)
    {
        using var response = await client.GetAsync($"/{cache}/{info.Url}");
        Assert.True(response.IsSuccessStatusCode, $"NAR: {(int)response.StatusCode}");
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var nar = CompressionNames.OpenDecompressor(info.Compression, body, leaveOpen: true);
        using var copy = new MemoryStream();
        await nar.CopyToAsync(copy);
        return copy.ToArray();
    }

    public static string[] BlobFiles(string storageDirectory) =>
        Directory.EnumerateFiles(storageDirectory, "*.chunk", SearchOption.AllDirectories).ToArray();
}
