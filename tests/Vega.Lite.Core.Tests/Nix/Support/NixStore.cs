using System.Diagnostics;

namespace Vega.Lite.Core.Tests.Nix.Support;

/// <summary>Access to the real <c>nix-store</c>/<c>nix-hash</c> binaries, for live comparison tests.</summary>
internal static class NixStore
{
    private static readonly Lazy<string?> Tool = new(() => Find("nix-store"));

    public static bool IsAvailable => Tool.Value is not null && Find("nix-hash") is not null;

    public const string SkipReason = "nix-store/nix-hash not found on PATH (install Debian's nix-bin to run live comparisons).";

    /// <summary>Runs <c>nix-store --dump path</c> and returns the NAR.</summary>
    public static byte[] Dump(string path)
    {
        using var process = Start(Tool.Value!, "--dump", path);
        using var output = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(output);
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nix-store --dump failed ({process.ExitCode}): {errors}");
        }

        return output.ToArray();
    }

    /// <summary>Runs <c>nix-hash --type TYPE --to-base32 HEX</c>.</summary>
    public static string HexToBase32(string type, string hex)
    {
        using var process = Start(Find("nix-hash")!, "--type", type, "--to-base32", hex);
        string result = process.StandardOutput.ReadToEnd().Trim();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nix-hash failed ({process.ExitCode}): {errors}");
        }

        return result;
    }

    private static Process Start(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NIX_CONFIG"] = "experimental-features = nix-command\nsandbox = false\nbuild-users-group =\nsubstituters =";
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {tool}.");
    }

    private static string? Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name)))
            {
                return Path.Combine(dir, name);
            }
        }

        return null;
    }
}

/// <summary>A fact that is skipped, with a clear reason, when the Nix tools are not installed.</summary>
internal sealed class NixStoreFactAttribute : FactAttribute
{
    public NixStoreFactAttribute()
    {
        if (!NixStore.IsAvailable)
        {
            Skip = NixStore.SkipReason;
        }
    }
}
