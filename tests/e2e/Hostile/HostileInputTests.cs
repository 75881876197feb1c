namespace Vega.Lite.E2E.Hostile;

/// <summary>
/// The hostile-input suite (issue 14) against the published binary, HS256 configuration: each generated case is its own
/// test, named after the case; all share one server (see <see cref="HostileServer"/>).
/// </summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed class HostileInputTests(Hs256HostileServer server) : IClassFixture<Hs256HostileServer>
{
    public static IEnumerable<object[]> Cases => HostileCases.For(rs256: false).Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Case(string name) => server.RunAsync(HostileCases.For(rs256: false)[name]);
}

/// <summary>The token cases against a server configured with an RS256 key (key confusion, RS-specific algorithms).</summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed class HostileRs256TokenTests(Rs256HostileServer server) : IClassFixture<Rs256HostileServer>
{
    public static IEnumerable<object[]> Cases => HostileCases.For(rs256: true).Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Case(string name) => server.RunAsync(HostileCases.For(rs256: true)[name]);
}

/// <summary>The suite's size and spread, so it cannot shrink unnoticed below the 1,000 cases issue 14 asks for.</summary>
[Trait("Database", "sqlite")] // reads the SQLite file itself: not in the PostgreSQL pass (tests/run-all.sh)
public sealed class HostileSuiteSizeTests
{
    [Fact]
    public void The_suite_has_at_least_1000_cases_in_every_category_the_issue_names()
    {
        var all = HostileCases.For(rs256: false).Values.Concat(HostileCases.For(rs256: true).Values).ToList();
        var byCategory = all.GroupBy(c => c.Category).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(all.Count >= 1000, $"{all.Count} cases");
        foreach (var category in new[] { "nar-put", "upload-nar", "compression", "upload-info", "preamble", "narinfo", "missing-paths", "url", "header", "token-hs256", "token-rs256" })
        {
            Assert.True(byCategory.GetValueOrDefault(category) > 0, $"no {category} cases");
        }
    }
}
