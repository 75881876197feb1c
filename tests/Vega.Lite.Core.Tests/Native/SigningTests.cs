using System.Text;
using Vega.Lite.Core.Nix;

namespace Vega.Lite.Core.Tests.Native;

public sealed class SigningTests
{
    // Vectors from docs/nix-cache-protocol.md §1.5 (signatures produced by Nix 2.8.0).
    private const string ProbeSecret = "probe-1:YluTci3K5VbmWItrj/Vb2RpVHxwORWXXb/iu0xlUP6f1mQ1LWQvR2iqQeYrn74mziC9EH2VqqqJ1SbNNxV+PoA==";
    private const string ProbePublic = "probe-1:9ZkNS1kL0doqkHmK5++Js4gvRB9laqqidUmzTcVfj6A=";
    private const string FingerprintA = "1;/nix/store/189wx4z6f15a82c7y9xlf61dw6hsaggy-probe-out;sha256:02lkdfpsx6xpqlvn3v9xpzdxiz1x7jxj1fj6nxkyqbpbxsrpijx8;752;/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt";
    private const string SignatureA = "probe-1:bESphR6Ui5ZSC2pm/Mf2j1YhzMR0n913FHyRCb+QxUTu7NaFYnTSQibtNUgWgNuxpPq33GK0hPrlHbwCdh+jCg==";
    private const string FingerprintB = "1;/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt;sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf;128;";
    private const string SignatureB = "probe-1:8raH5n1dPrXzziUFd+k5Pi/J7xFxpsWXHyHctpyAhvyTpjeakiPZaWmEvKdVBrK79ouEkQeulXErt3ef3xeHBw==";
    private const string CacheNixosOrg = "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=";

    private static readonly Dictionary<string, string> NixEnvironment = new()
    {
        ["NIX_CONFIG"] = "experimental-features = nix-command\nsandbox = false\nbuild-users-group =\nsubstituters =",
    };

    [Fact]
    public void ParsesTheProbeKeyAndDerivesItsPublicKey()
    {
        Assert.True(NixKeypair.TryParse(ProbeSecret, out NixKeypair? key, out string? error), error);
        Assert.Null(error);
        Assert.Equal("probe-1", key.Name);
        Assert.Equal(ProbePublic, key.PublicKey.ToString());
        Assert.Equal("probe-1", key.PublicKey.Name);
        Assert.Equal(ProbeSecret, key.ToSecretKeyString());
    }

    [Theory]
    [InlineData(FingerprintA, SignatureA)]
    [InlineData(FingerprintB, SignatureB)]
    public void SigningIsAKnownAnswer(string fingerprint, string signature)
    {
        NixKeypair key = NixKeypair.Parse(ProbeSecret);
        Assert.Equal(signature, key.SignFingerprint(fingerprint));
        Assert.Equal(signature, key.Sign(Encoding.UTF8.GetBytes(fingerprint)));
    }

    [Theory]
    [InlineData(FingerprintA, SignatureA)]
    [InlineData(FingerprintB, SignatureB)]
    public void VerifiesNixSignatures(string fingerprint, string signature)
    {
        NixPublicKey key = NixPublicKey.Parse(ProbePublic);
        Assert.True(key.VerifyFingerprint(fingerprint, signature));
        Assert.True(key.Verify(Encoding.UTF8.GetBytes(fingerprint), signature));
    }

    [Fact]
    public void RejectsTamperedSignaturesAndMessages()
    {
        NixPublicKey key = NixPublicKey.Parse(ProbePublic);
        byte[] signature = Convert.FromBase64String(SignatureA["probe-1:".Length..]);
        for (int i = 0; i < signature.Length; i += 9)
        {
            byte[] flipped = (byte[])signature.Clone();
            flipped[i] ^= 0x01;
            Assert.False(key.VerifyFingerprint(FingerprintA, "probe-1:" + Convert.ToBase64String(flipped)));
        }

        byte[] message = Encoding.UTF8.GetBytes(FingerprintA);
        message[10] ^= 0x01;
        Assert.False(key.Verify(message, SignatureA));
        Assert.False(key.VerifyFingerprint(FingerprintB, SignatureA));
    }

    [Theory]
    [InlineData("other-1:bESphR6Ui5ZSC2pm/Mf2j1YhzMR0n913FHyRCb+QxUTu7NaFYnTSQibtNUgWgNuxpPq33GK0hPrlHbwCdh+jCg==")]
    [InlineData("bESphR6Ui5ZSC2pm/Mf2j1YhzMR0n913FHyRCb+QxUTu7NaFYnTSQibtNUgWgNuxpPq33GK0hPrlHbwCdh+jCg==")]
    [InlineData("probe-1:not base64!")]
    [InlineData("probe-1:AAAA")]
    [InlineData("probe-1:")]
    [InlineData("")]
    public void MalformedOrForeignSignaturesDoNotVerify(string signature)
    {
        Assert.False(NixPublicKey.Parse(ProbePublic).VerifyFingerprint(FingerprintA, signature));
    }

    [Fact]
    public void CacheNixosOrgKeyRoundTrips()
    {
        Assert.True(NixPublicKey.TryParse(CacheNixosOrg, out NixPublicKey? key, out string? error), error);
        Assert.Equal("cache.nixos.org-1", key.Name);
        Assert.Equal(32, key.KeyBytes.Length);
        Assert.Equal(CacheNixosOrg, key.ToString());
        Assert.False(key.VerifyFingerprint(FingerprintA, SignatureA.Replace("probe-1", "cache.nixos.org-1", StringComparison.Ordinal)));
    }

    [Fact]
    public void GeneratedKeysSignAndVerify()
    {
        NixKeypair key = NixKeypair.Generate("vega-test-1");
        Assert.Equal("vega-test-1", key.Name);
        string signature = key.SignFingerprint(FingerprintB);
        Assert.StartsWith("vega-test-1:", signature, StringComparison.Ordinal);
        Assert.True(key.PublicKey.VerifyFingerprint(FingerprintB, signature));

        NixKeypair reparsed = NixKeypair.Parse(key.ToSecretKeyString());
        Assert.Equal(key.PublicKey.ToString(), reparsed.PublicKey.ToString());
        Assert.Equal(signature, reparsed.SignFingerprint(FingerprintB));
        Assert.Equal(key.PublicKey.ToString(), NixPublicKey.Parse(key.PublicKey.ToString()).ToString());

        Assert.NotEqual(key.ToSecretKeyString(), NixKeypair.Generate("vega-test-1").ToSecretKeyString());
    }

    [Fact]
    public void EmptyMessageCanBeSigned()
    {
        NixKeypair key = NixKeypair.Parse(ProbeSecret);
        string signature = key.Sign([]);
        Assert.True(key.PublicKey.Verify([], signature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a:b")]
    public void GenerateRejectsBadNames(string name)
    {
        Assert.ThrowsAny<ArgumentException>(() => NixKeypair.Generate(name));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("probe-1", "no ':'")]
    [InlineData(":YluTci3K5VbmWItrj/Vb2RpVHxwORWXXb/iu0xlUP6f1mQ1LWQvR2iqQeYrn74mziC9EH2VqqqJ1SbNNxV+PoA==", "name before ':' is empty")]
    [InlineData("probe-1:YluTci3K5VbmWItrj/Vb2RpVHxwORWXXb/iu0xlUP6f1mQ1LWQvR2iqQeYrn74mziC9EH2VqqqJ1SbNNxV+PoA=", "not valid base64")]
    [InlineData("probe-1:Ylu%ci3K5VbmWItrj/Vb2RpVHxwORWXXb/iu0xlUP6f1mQ1LWQvR2iqQeYrn74mziC9EH2VqqqJ1SbNNxV+PoA==", "not valid base64")]
    [InlineData("probe-1:9ZkNS1kL0doqkHmK5++Js4gvRB9laqqidUmzTcVfj6A=", "expected 64 bytes after base64 decoding, got 32")]
    [InlineData("probe-1:YluTci3K5VbmWItrj/Vb2RpVHxwORWXXb/iu0xlUP6f1mQ1LWQvR2iqQeYrn74mziC9EH2VqqqJ1SbNNxV+QoA==", "does not match")]
    [InlineData("probe-1:ZluTci3K5VbmWItrj/Vb2RpVHxwORWXXb/iu0xlUP6f1mQ1LWQvR2iqQeYrn74mziC9EH2VqqqJ1SbNNxV+PoA==", "does not match")]
    public void SecretKeyErrorsAreClear(string text, string expected)
    {
        Assert.False(NixKeypair.TryParse(text, out NixKeypair? key, out string? error));
        Assert.Null(key);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("Invalid secret key: ", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => NixKeypair.Parse(text));
    }

    [Theory]
    [InlineData("cache.nixos.org-1", "no ':'")]
    [InlineData(":6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=", "name before ':' is empty")]
    [InlineData("cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShj", "not valid base64")]
    [InlineData("cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjYA", "expected 32 bytes after base64 decoding, got 33")]
    public void PublicKeyErrorsAreClear(string text, string expected)
    {
        Assert.False(NixPublicKey.TryParse(text, out NixPublicKey? key, out string? error));
        Assert.Null(key);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("Invalid public key: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SurroundingWhitespaceFromKeyFilesIsIgnored()
    {
        Assert.Equal(ProbePublic, NixKeypair.Parse(ProbeSecret + "\n").PublicKey.ToString());
        Assert.Equal(ProbePublic, NixPublicKey.Parse(" " + ProbePublic + "\r\n").ToString());
    }

    [RequiresToolFact("nix-store", "nix-bin")]
    public async Task NixGeneratedKeyIsAcceptedAndMatchesNixPublicKey()
    {
        string dir = Directory.CreateTempSubdirectory("nixkey").FullName;
        try
        {
            string sk = Path.Combine(dir, "sk");
            string pk = Path.Combine(dir, "pk");
            await Cli.RunAsync("nix-store", ["--generate-binary-cache-key", "test-1", sk, pk], [], NixEnvironment);

            NixKeypair key = NixKeypair.Parse(await File.ReadAllTextAsync(sk));
            Assert.Equal(await File.ReadAllTextAsync(pk), key.PublicKey.ToString());
            Assert.Equal(await File.ReadAllTextAsync(sk), key.ToSecretKeyString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RequiresToolFact("nix", "nix-bin")]
    public async Task OurGeneratedKeyIsAcceptedByNix()
    {
        NixKeypair key = NixKeypair.Generate("vega-1");
        byte[] publicKey = await Cli.RunAsync(
            "nix", ["key", "convert-secret-to-public"], Encoding.UTF8.GetBytes(key.ToSecretKeyString()), NixEnvironment);
        Assert.Equal(key.PublicKey.ToString(), Encoding.UTF8.GetString(publicKey).Trim());
    }
}
