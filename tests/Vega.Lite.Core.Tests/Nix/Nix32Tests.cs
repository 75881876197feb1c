using Vega.Lite.Core.Nix;

namespace Vega.Lite.Core.Tests.Nix;

public sealed class Nix32Tests
{
    [Theory]
    [InlineData("ae45042aef5b148835db02d045fe89b4c09ff9e476dab001a14bc0322d3f2093", "14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf")]
    [InlineData("a8cb78b3eeeb2eec67b746ba20bb3c3dfcd8dbbf3ded6137c5b79baeaf6b930a", "02lkdfpsx6xpqlvn3v9xpzdxiz1x7jxj1fj6nxkyqbpbxsrpijx8")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73")]
    public void Sha256Vectors_EncodeAndDecode(string hex, string nix32)
    {
        byte[] bytes = Convert.FromHexString(hex);

        Assert.Equal(nix32, Nix32.Encode(bytes));
        Assert.Equal(bytes, Nix32.Decode(nix32));

        Span<byte> destination = stackalloc byte[32];
        Assert.True(Nix32.TryDecode(nix32, destination));
        Assert.Equal(bytes, destination.ToArray());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 2)]
    [InlineData(5, 8)]
    [InlineData(20, 32)]
    [InlineData(32, 52)]
    [InlineData(64, 103)]
    public void EncodedLength_IsCeilingOfBitsOverFive(int bytes, int chars)
    {
        Assert.Equal(chars, Nix32.GetEncodedLength(bytes));
        Assert.Equal(chars, Nix32.Encode(new byte[bytes]).Length);
        Assert.Equal(bytes, Nix32.GetDecodedLength(chars));
    }

    [Fact]
    public void DecodedLength_IsMinusOneForImpossibleLengths()
    {
        Assert.Equal(-1, Nix32.GetDecodedLength(1));
        Assert.Equal(-1, Nix32.GetDecodedLength(51));
        Assert.Equal(-1, Nix32.GetDecodedLength(3));
        Assert.Equal(33, Nix32.GetDecodedLength(53));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(32)]
    public void RandomData_RoundTrips(int size)
    {
        var random = new Random(size);
        byte[] data = new byte[size];
        Span<byte> decoded = stackalloc byte[size];
        for (int i = 0; i < 500; i++)
        {
            random.NextBytes(data);
            string text = Nix32.Encode(data);
            Assert.Equal(Nix32.GetEncodedLength(size), text.Length);
            Assert.True(Nix32.TryDecode(text, decoded));
            Assert.True(decoded.SequenceEqual(data));
        }
    }

    [Fact]
    public void AllSizesUpTo64_RoundTrip()
    {
        var random = new Random(7);
        for (int size = 0; size <= 64; size++)
        {
            byte[] data = new byte[size];
            random.NextBytes(data);
            Assert.Equal(data, Nix32.Decode(Nix32.Encode(data)));
        }
    }

    [Fact]
    public void AllOnesAndZeros_RoundTrip()
    {
        byte[] ones = Enumerable.Repeat((byte)0xff, 32).ToArray();
        Assert.Equal("1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", Nix32.Encode(ones));
        Assert.Equal(new string('0', 52), Nix32.Encode(new byte[32]));
        Assert.Equal(ones, Nix32.Decode(Nix32.Encode(ones)));
    }

    [Theory]
    [InlineData('e')]
    [InlineData('o')]
    [InlineData('u')]
    [InlineData('t')]
    [InlineData('A')]
    [InlineData('Z')]
    [InlineData('-')]
    [InlineData(' ')]
    [InlineData('é')]
    [InlineData('\0')]
    public void InvalidCharacters_AreRejected(char bad)
    {
        Assert.False(Nix32.IsValidChar(bad));
        string text = "14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08id" + bad;
        Assert.False(Nix32.TryDecode(text, stackalloc byte[32]));
        Assert.Throws<FormatException>(() => Nix32.Decode(text));
    }

    [Fact]
    public void IsValidChar_AcceptsExactlyTheAlphabet()
    {
        for (int c = 0; c < 0x3000; c++)
        {
            Assert.Equal(Nix32.Alphabet.Contains((char)c), Nix32.IsValidChar((char)c));
        }

        Assert.Equal(32, Nix32.Alphabet.Distinct().Count());
    }

    [Fact]
    public void BitsBeyondTheDigest_AreRejected()
    {
        // 52 characters carry 260 bits; the first may only be 0 or 1 for a 256-bit digest (Nix: "invalid base-32 hash").
        string text = "24r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf";
        Assert.False(Nix32.TryDecode(text, stackalloc byte[32]));
        Assert.Throws<FormatException>(() => Nix32.Decode(text));
    }

    [Fact]
    public void WrongLength_IsRejected()
    {
        Assert.False(Nix32.TryDecode("14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08id", stackalloc byte[32]));
        Assert.False(Nix32.TryDecode("14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf", stackalloc byte[20]));
        Assert.Throws<FormatException>(() => Nix32.Decode("0"));
    }

    [Fact]
    public void TryEncode_ReportsShortDestination()
    {
        byte[] data = new byte[20];
        Assert.False(Nix32.TryEncode(data, stackalloc char[31], out int written));
        Assert.Equal(0, written);
        Span<char> ok = stackalloc char[40];
        Assert.True(Nix32.TryEncode(data, ok, out written));
        Assert.Equal(32, written);
    }

    [NixStoreFact]
    public void MatchesNixHash_ForRandomDigests()
    {
        var random = new Random(1234);
        foreach ((string type, int size) in new[] { ("sha256", 32), ("sha1", 20), ("sha512", 64), ("md5", 16) })
        {
            for (int i = 0; i < 3; i++)
            {
                byte[] digest = new byte[size];
                random.NextBytes(digest);
                string hex = Convert.ToHexStringLower(digest);
                Assert.Equal(NixStore.HexToBase32(type, hex), Nix32.Encode(digest));
            }
        }
    }
}
