using Vega.Lite.Config;

namespace Vega.Lite.Cli;

/// <summary>Dispatches the command line: server modes, make-token, ensure-cache, verify, revoke-token or cache list; as atticd or atticadm when started by those names.</summary>
internal static class Entry
{
    public static async Task<int> RunAsync(string[] args)
    {
        var invokedAs = Path.GetFileName(Environment.GetCommandLineArgs().FirstOrDefault() ?? "vega-lite");
        Func<string, string?> env = Environment.GetEnvironmentVariable;
        try
        {
            var commandLine = CommandLine.Parse(args, asAtticadm: invokedAs == "atticadm");
            if (commandLine.Help)
            {
                Console.WriteLine(CommandLine.Usage);
                return 0;
            }
            if (commandLine.Version)
            {
                Console.WriteLine($"vega-lite {typeof(Entry).Assembly.GetName().Version?.ToString(3)}");
                return 0;
            }
            if (commandLine.MakeTokenArgs is { } tokenArgs)
            {
                return MakeTokenCommand.Run(commandLine.ConfigPath, tokenArgs, env, Console.Out);
            }
            if (commandLine.CacheArgs is { } cacheCommandArgs)
            {
                return await CacheCommand.RunAsync(commandLine.ConfigPath, cacheCommandArgs, env, Console.Out);
            }
            if (commandLine.RevokeTokenArgs is { } revokeArgs)
            {
                return await RevokeTokenCommand.RunAsync(commandLine.ConfigPath, revokeArgs, env, Console.Out);
            }
            if (commandLine.VerifyArgs is { } verifyArgs)
            {
                var checkHashes = VerifyCommand.Parse(verifyArgs);
                return await VerifyCommand.RunAsync(ConfigLoader.Load(commandLine.ConfigPath, env), checkHashes, Console.Out);
            }
            return commandLine.EnsureCacheArgs is { } cacheArgs
                ? await EnsureCacheCommand.RunAsync(commandLine.ConfigPath, cacheArgs, env, Console.Out)
                : await ServerCommand.RunAsync(commandLine, env);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{CommandLine.Usage}");
            return 2;
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }
}
