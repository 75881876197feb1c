using System.Security.Cryptography;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

public sealed class JwtKeyTests
{
    [Fact]
    public void UnknownSettingNameIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => JwtKey.FromBase64Setting("token-hs512-secret-base64", "dGVzdA=="));
        Assert.Contains("token-hs512-secret-base64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JwtKey.Hs256SecretSetting)]
    [InlineData(JwtKey.Rs256SecretSetting)]
    [InlineData(JwtKey.Rs256PubkeySetting)]
    public void BadBase64NamesTheSetting(string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => JwtKey.FromBase64Setting(setting, "not base64!"));
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hs256AcceptsAnyBytesAndTrimsWhitespace()
    {
        JwtKey key = JwtKey.FromBase64Setting(JwtKey.Hs256SecretSetting, " dGVzdCBzZWNyZXQ=\n");
        Assert.Equal(JwtKey.HS256, key.Algorithm);
        Assert.True(key.CanSign);
        Assert.Equal(JwtKey.HS256, JwtKey.FromBase64Setting(JwtKey.Hs256SecretSetting, "wyggPC0gaW52YWxpZCB1dGY4").Algorithm);
    }

    [Fact]
    public void LineWrappedBase64IsAccepted()
    {
        string wrapped = string.Join("\n", TestRsa.Base64(TestRsa.Pkcs1PrivatePem).Chunk(76).Select(c => new string(c))) + "\n";
        Assert.True(JwtKey.FromBase64Setting(JwtKey.Rs256SecretSetting, wrapped).CanSign);
    }

    [Fact]
    public void NonCanonicalBase64IsRejected() =>
        Assert.Throws<ArgumentException>(() => JwtKey.FromBase64Setting(JwtKey.Hs256SecretSetting, "dGVzdA"));

    [Fact]
    public void EmptyHs256SecretIsRejected()
    {
        Assert.Throws<ArgumentException>(() => JwtKey.Hs256([]));
        var error = Assert.Throws<ArgumentException>(() => JwtKey.FromBase64Setting(JwtKey.Hs256SecretSetting, ""));
        Assert.Contains(JwtKey.Hs256SecretSetting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretSettingWithPublicKeyIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(
            () => JwtKey.FromBase64Setting(JwtKey.Rs256SecretSetting, TestRsa.Base64(TestRsa.SpkiPublicPem)));
        Assert.Contains(JwtKey.Rs256SecretSetting, error.Message, StringComparison.Ordinal);
        Assert.Contains("public key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PubkeySettingWithPrivateKeyIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(
            () => JwtKey.FromBase64Setting(JwtKey.Rs256PubkeySetting, TestRsa.Base64(TestRsa.Pkcs1PrivatePem)));
        Assert.Contains(JwtKey.Rs256PubkeySetting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaSettingMustBeUtf8Pem()
    {
        var error = Assert.Throws<ArgumentException>(
            () => JwtKey.FromBase64Setting(JwtKey.Rs256SecretSetting, "wyggPC0gaW52YWxpZCB1dGY4"));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => JwtKey.FromBase64Setting(JwtKey.Rs256SecretSetting, TestRsa.Base64("hello")));
    }

    [Fact]
    public void CorruptPemIsRejected()
    {
        string pem = TestRsa.Pkcs1PrivatePem;
        string corrupt = pem.Replace("MII", "MIA", StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => JwtKey.Rs256Secret(corrupt));
        Assert.Throws<ArgumentException>(() => JwtKey.Rs256PublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
    }

    [Fact]
    public void NonRsaPkcs8IsRejected()
    {
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Throws<ArgumentException>(() => JwtKey.Rs256Secret(ec.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<ArgumentException>(() => JwtKey.Rs256PublicKey(ec.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void EncryptedPrivateKeyIsRejectedClearly()
    {
        using RSA rsa = RSA.Create(2048);
        string pem = rsa.ExportEncryptedPkcs8PrivateKeyPem(
            "pw"u8, new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1));
        var error = Assert.Throws<ArgumentException>(() => JwtKey.Rs256Secret(pem));
        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PemWithLeadingTextAndOtherBlocksIsAccepted()
    {
        string pem = "  key file\n" + TestRsa.SpkiPublicPem + "\n" + TestRsa.Pkcs1PrivatePem + "\n\n";
        Assert.True(JwtKey.Rs256Secret(pem).CanSign);
        Assert.False(JwtKey.Rs256PublicKey(pem).CanSign);
    }
}
