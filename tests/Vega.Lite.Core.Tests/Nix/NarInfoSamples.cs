namespace Vega.Lite.Core.Tests.Nix;

/// <summary>The real narinfo files written by Nix 2.8 (docs/nix-cache-protocol.md §1.3).</summary>
internal static class NarInfoSamples
{
    public const string ProbeOut =
        "StorePath: /nix/store/189wx4z6f15a82c7y9xlf61dw6hsaggy-probe-out\n" +
        "URL: nar/0a65vg167l1danf2jvpgrzikgkb9wfr6pqvcbzrm2ny7281bqr3c.nar.xz\n" +
        "Compression: xz\n" +
        "FileHash: sha256:0a65vg167l1danf2jvpgrzikgkb9wfr6pqvcbzrm2ny7281bqr3c\n" +
        "FileSize: 268\n" +
        "NarHash: sha256:02lkdfpsx6xpqlvn3v9xpzdxiz1x7jxj1fj6nxkyqbpbxsrpijx8\n" +
        "NarSize: 752\n" +
        "References: 2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt\n" +
        "Deriver: my88d3n01zd4c7c8jiamfjbykxcq0zx6-probe-out.drv\n" +
        "Sig: probe-1:bESphR6Ui5ZSC2pm/Mf2j1YhzMR0n913FHyRCb+QxUTu7NaFYnTSQibtNUgWgNuxpPq33GK0hPrlHbwCdh+jCg==\n";

    public const string DepTxt =
        "StorePath: /nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt\n" +
        "URL: nar/17vrbn27zyir9fc4k9qfm8zgxf7ywvbk9igs6yzrbvisi7hns89g.nar.xz\n" +
        "Compression: xz\n" +
        "FileHash: sha256:17vrbn27zyir9fc4k9qfm8zgxf7ywvbk9igs6yzrbvisi7hns89g\n" +
        "FileSize: 136\n" +
        "NarHash: sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf\n" +
        "NarSize: 128\n" +
        "References: \n" +
        "Sig: probe-1:8raH5n1dPrXzziUFd+k5Pi/J7xFxpsWXHyHctpyAhvyTpjeakiPZaWmEvKdVBrK79ouEkQeulXErt3ef3xeHBw==\n" +
        "CA: text:sha256:1sfdxziarxw8j3p80lvswgpq9i7smdyxmmsj5sjhhgjdjfwjfkdr\n";

    public const string FingerprintA =
        "1;/nix/store/189wx4z6f15a82c7y9xlf61dw6hsaggy-probe-out;sha256:02lkdfpsx6xpqlvn3v9xpzdxiz1x7jxj1fj6nxkyqbpbxsrpijx8;752;/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt";

    public const string FingerprintB =
        "1;/nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt;sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf;128;";

    public const string Sig = "probe-1:bESphR6Ui5ZSC2pm/Mf2j1YhzMR0n913FHyRCb+QxUTu7NaFYnTSQibtNUgWgNuxpPq33GK0hPrlHbwCdh+jCg==";

    /// <summary>A minimal valid narinfo, to which single lines are added or replaced in tests.</summary>
    public static string Minimal(string? extra = null) =>
        "StorePath: /nix/store/2vgq3jvf76b54v3vrl0g9khzhlb73xr2-dep.txt\n" +
        "URL: nar/x.nar\n" +
        "NarHash: sha256:14r07wnk5h2bl40v1nknwkwrzh5li7z4bl02vcsqh52vxwm08idf\n" +
        "NarSize: 128\n" +
        extra;
}
