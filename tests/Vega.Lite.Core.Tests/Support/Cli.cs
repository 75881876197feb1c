using System.Diagnostics;

namespace Vega.Lite.Core.Tests.Support;

/// <summary>Runs a command-line tool with bytes on stdin and returns its stdout.</summary>
internal static class Cli
{
    public static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    public static async Task<byte[]> RunAsync(string fileName, IEnumerable<string> arguments, byte[] stdin, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (KeyValuePair<string, string> pair in environment)
            {
                info.Environment[pair.Key] = pair.Value;
            }
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        Task writer = Task.Run(async () =>
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        });
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var stdout = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(stdout);
        await writer;
        await process.WaitForExitAsync();
        string errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {errors}");
        }

        return stdout.ToArray();
    }
}
