namespace Vega.Lite.E2E.Hostile;

/// <summary>
/// The generated hostile-input suite (issue 14): deterministic (one fixed seed, so a failing case keeps its name and its
/// bytes from run to run), each case a unique name, a request and the <see cref="Rule"/> its answer must satisfy.
/// Two server configurations: HS256 (everything) and RS256 (the token cases that depend on the algorithm).
/// </summary>
internal static partial class HostileCases
{
    public const int Seed = 0x145EED;

    private static readonly Lazy<Dictionary<string, HostileCase>> Hs256Cases = new(() => Index(
    [
        .. NarCases(), .. CompressionCases(), .. NarNameCases(), .. UploadMismatchCases(), .. UploadInfoCases(), .. PreambleCases(),
        .. NarInfoCases(), .. MissingPathsCases(), .. CacheConfigCases(), .. UrlCases(), .. HeaderCases(), .. TokenCases(rs256: false),
    ]));

    private static readonly Lazy<Dictionary<string, HostileCase>> Rs256Cases = new(() => Index([.. TokenCases(rs256: true)]));

    public static IReadOnlyDictionary<string, HostileCase> For(bool rs256) => rs256 ? Rs256Cases.Value : Hs256Cases.Value;

    private static Dictionary<string, HostileCase> Index(List<HostileCase> cases)
    {
        var index = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            if (!index.TryAdd(c.Name, c))
            {
                throw new InvalidOperationException($"two hostile cases are named {c.Name}");
            }
        }
        return index;
    }

    private static Rule RuleFor(bool? valid) => valid switch { true => Rule.Accepted, false => Rule.Rejected, null => Rule.NoServerError };

    /// <summary>Random bytes from a per-case seed drawn now, so a case's bytes do not depend on which cases run.</summary>
    private static Func<byte[]> RandomBytes(Random rng, int length)
    {
        var seed = rng.Next();
        return () =>
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return bytes;
        };
    }
}
