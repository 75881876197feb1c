namespace Vega.Lite.Cli;

/// <summary>Subcommand flags in either spelling: <c>--flag value</c> or <c>--flag=value</c>.</summary>
internal static class OptionArgument
{
    /// <summary>Splits <c>--flag=value</c> into its flag and inline value; any other argument has no inline value.</summary>
    public static (string Flag, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
