namespace Vega.Lite.Core.Tests.Support;

/// <summary>A fact that is skipped, with a message saying why, when a command-line tool is not on PATH.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool, string package)
    {
        Tool = tool;
        if (!Cli.Exists(tool))
        {
            Skip = $"'{tool}' is not on PATH (install Debian's {package} to run this test)";
        }
    }

    public string Tool { get; }
}
