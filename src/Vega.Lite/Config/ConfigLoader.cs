using System.Text;

namespace Vega.Lite.Config;

/// <summary>
/// Finds the configuration the way atticd does (docs/attic-api.md §8.1): <c>-f PATH</c>, else
/// <c>ATTIC_SERVER_CONFIG_BASE64</c>, else <c>$XDG_CONFIG_HOME/attic/server.toml</c>.
/// </summary>
internal static class ConfigLoader
{
    public const string Base64Variable = "ATTIC_SERVER_CONFIG_BASE64";

    public static ServerConfig Load(string? path, Func<string, string?> env)
    {
        if (path is not null)
        {
            return ReadFile(path, env);
        }
        if (env(Base64Variable) is { Length: > 0 } encoded)
        {
            string text;
            try
            {
                text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Trim()));
            }
            catch (FormatException)
            {
                throw new ConfigException($"{Base64Variable} is not valid base64");
            }
            return ConfigReader.Read(text, Base64Variable, env);
        }
        var xdg = XdgConfigFile(env);
        if (!File.Exists(xdg))
        {
            throw new ConfigException(
                $"no configuration: pass -f PATH, set {Base64Variable}, or create {xdg} (starting in monolithic mode without any creates one)");
        }
        return ReadFile(xdg, env);
    }

    /// <summary>True when no configuration is given anywhere, so monolithic mode should run the first-start setup.</summary>
    public static bool NeedsFirstStart(string? path, Func<string, string?> env) =>
        path is null && env(Base64Variable) is not { Length: > 0 } && !File.Exists(XdgConfigFile(env));

    public static string XdgConfigFile(Func<string, string?> env) =>
        Path.Combine(XdgDirectory(env, "XDG_CONFIG_HOME", ".config"), "attic", "server.toml");

    public static string XdgDataDirectory(Func<string, string?> env) =>
        Path.Combine(XdgDirectory(env, "XDG_DATA_HOME", Path.Combine(".local", "share")), "attic");

    private static string XdgDirectory(Func<string, string?> env, string variable, string underHome) =>
        env(variable) is { Length: > 0 } configured && Path.IsPathRooted(configured)
            ? configured
            : Path.Combine(env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), underHome);

    private static ServerConfig ReadFile(string path, Func<string, string?> env)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read the configuration file {path}: {Reason(path, e)}");
        }
        return ConfigReader.Read(text, path, env);
    }

    /// <summary>Why a file could not be read, in our words for the usual cases.</summary>
    private static string Reason(string path, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException when Directory.Exists(path) => "it is a directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
