using System.Buffers;
using System.Text;

using Vega.Lite.Core.Nix;

namespace Vega.Lite.Core.Tests.Nix;

public sealed class NarInfoRenderTests
{
    private static readonly NixHash DepHash = NixHash.Parse("sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf");

    [Theory]
    [InlineData(NarInfoSamples.ProbeOut)]
    [InlineData(NarInfoSamples.DepTxt)]
    public void RealNarInfos_RoundTripByteForByte(string text)
    {
        NarInfo info = NarInfo.Parse(text);
        Assert.Equal(text, info.Render());
        Assert.Equal(Encoding.UTF8.GetBytes(text), info.RenderUtf8());

        var writer = new ArrayBufferWriter<byte>();
        info.RenderTo(writer);
        Assert.Equal(Encoding.UTF8.GetBytes(text), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Fingerprints_MatchTheReferenceVectors()
    {
        Assert.Equal(NarInfoSamples.FingerprintA, NarInfo.Parse(NarInfoSamples.ProbeOut).Fingerprint());
        Assert.Equal(NarInfoSamples.FingerprintB, NarInfo.Parse(NarInfoSamples.DepTxt).Fingerprint());
    }

    [Fact]
    public void Fingerprint_IsIndependentOfTheNarHashFormReceived()
    {
        string hex = NarInfoSamples.DepTxt.Replace(
            "sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf",
            "sha256:ae45042aef5b148835db02d045fe89b4c09ff9e476dab001a14bc0322d3f2093",
            StringComparison.Ordinal);
        Assert.Equal(NarInfoSamples.FingerprintB, NarInfo.Parse(hex).Fingerprint());
    }

    [Fact]
    public void Fingerprint_SortsFullPathsBytewiseAndDeduplicates()
    {
        var info = new NarInfo
        {
            StorePath = "/custom/store/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-self",
            Url = "nar/x.nar",
            NarHash = DepHash,
            NarSize = 42,
            References =
            [
                "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-self",
                "00000000000000000000000000000000-B",
                "0000000000000000000000000000000a-a",
                "00000000000000000000000000000000-A",
                "00000000000000000000000000000000-B",
            ],
        };

        Assert.Equal(
            "1;/custom/store/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-self;sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf;42;"
            + "/custom/store/00000000000000000000000000000000-A,/custom/store/00000000000000000000000000000000-B,"
            + "/custom/store/0000000000000000000000000000000a-a,/custom/store/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-self",
            info.Fingerprint());
        Assert.Equal(info.Fingerprint(), NarInfo.ComputeFingerprint(info.StorePath, info.NarHash, info.NarSize, info.References));
    }

    [Fact]
    public void Fingerprint_RequiresAPositiveNarSizeAndAHash()
    {
        var zero = new NarInfo { StorePath = "/nix/store/00000000000000000000000000000000-a", Url = "u", NarHash = DepHash, NarSize = 0 };
        Assert.Throws<InvalidOperationException>(() => zero.Fingerprint());
        var noHash = new NarInfo { StorePath = "/nix/store/00000000000000000000000000000000-a", Url = "u", NarHash = default, NarSize = 1 };
        Assert.Throws<InvalidOperationException>(() => noHash.Fingerprint());
    }

    [Fact]
    public void Render_WritesNixFieldOrderAndOmitsNulls()
    {
        var info = new NarInfo
        {
            StorePath = "/nix/store/00000000000000000000000000000000-a",
            Url = "nar/a.nar.zst",
            Compression = "zstd",
            NarHash = DepHash,
            NarSize = 128,
            System = "x86_64-linux",
            Deriver = "11111111111111111111111111111111-a.drv",
            Sigs = ["k-1:" + Convert.ToBase64String(new byte[64]), "k-2:" + Convert.ToBase64String(new byte[64])],
            Ca = "fixed:r:sha256:1sfdxziarxw8j3p80lvswgpq9i7smdyxmmsj5sjhhgjdjfwjfkdr",
            FileHash = "sha256:17vrbn27zyir9fc4k9qfm8zgxf7ywvbk9igs6yzrbvisi7hns89g",
            FileSize = 99,
            References = ["00000000000000000000000000000000-a", "22222222222222222222222222222222-b"],
        };

        string expected =
            "StorePath: /nix/store/00000000000000000000000000000000-a\n" +
            "URL: nar/a.nar.zst\n" +
            "Compression: zstd\n" +
            "FileHash: sha256:17vrbn27zyir9fc4k9qfm8zgxf7ywvbk9igs6yzrbvisi7hns89g\n" +
            "FileSize: 99\n" +
            "NarHash: sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf\n" +
            "NarSize: 128\n" +
            "References: 00000000000000000000000000000000-a 22222222222222222222222222222222-b\n" +
            "Deriver: 11111111111111111111111111111111-a.drv\n" +
            "System: x86_64-linux\n" +
            "Sig: k-1:" + Convert.ToBase64String(new byte[64]) + "\n" +
            "Sig: k-2:" + Convert.ToBase64String(new byte[64]) + "\n" +
            "CA: fixed:r:sha256:1sfdxziarxw8j3p80lvswgpq9i7smdyxmmsj5sjhhgjdjfwjfkdr\n";
        Assert.Equal(expected, info.Render());
        Assert.Equal(expected, NarInfo.Parse(expected).Render());
    }

    [Fact]
    public void Render_MinimalWritesEmptyReferencesWithTrailingSpace()
    {
        var info = new NarInfo { StorePath = "/nix/store/00000000000000000000000000000000-a", Url = "nar/a.nar", NarHash = DepHash, NarSize = 1 };
        Assert.Equal(
            "StorePath: /nix/store/00000000000000000000000000000000-a\n" +
            "URL: nar/a.nar\n" +
            "Compression: bzip2\n" +
            "NarHash: sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf\n" +
            "NarSize: 1\n" +
            "References: \n",
            info.Render());
    }

    [Fact]
    public void Render_RefusesValuesThatBreakTheFormat()
    {
        NarInfo good = NarInfo.Parse(NarInfoSamples.ProbeOut);
        NarInfo[] bad =
        [
            new() { StorePath = good.StorePath, Url = "nar/x\nSig: forged", NarHash = good.NarHash, NarSize = 1 },
            new() { StorePath = good.StorePath, Url = "nar/x", NarHash = good.NarHash, NarSize = 1, Deriver = "a\rb" },
            new() { StorePath = good.StorePath, Url = "nar/x", NarHash = good.NarHash, NarSize = 1, References = ["a b"] },
            new() { StorePath = good.StorePath, Url = "nar/x", NarHash = good.NarHash, NarSize = 0 },
            new() { StorePath = good.StorePath, Url = "nar/x", NarHash = default, NarSize = 1 },
            new() { StorePath = good.StorePath, Url = "", NarHash = good.NarHash, NarSize = 1 },
            new() { StorePath = good.StorePath, Url = "nar/x", NarHash = good.NarHash, NarSize = 1, FileSize = -1 },
        ];
        foreach (NarInfo info in bad)
        {
            Assert.Throws<InvalidOperationException>(() => info.Render());
            Assert.Throws<InvalidOperationException>(() => info.RenderTo(new ArrayBufferWriter<byte>()));
        }
    }

    [Fact]
    public void RenderTo_AppendsToExistingContent()
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("prefix\n"u8);
        NarInfo.Parse(NarInfoSamples.DepTxt).RenderTo(writer);
        Assert.Equal("prefix\n" + NarInfoSamples.DepTxt, Encoding.UTF8.GetString(writer.WrittenSpan));
    }
}
