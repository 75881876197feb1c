using Vega.Lite.Core.Caches;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Core.Tests.Tokens;

public sealed class PrecedenceTests
{
    private static TokenClaims Verified(string cachesJson) => TestJwt.AssertValid(TestJwt.Hs256(TestJwt.Payload(cachesJson)));

    [Fact]
    public void FirstMatchingWildcardWinsWithoutMerging()
    {
        TokenClaims claims = Verified("""{"all-*":{"r":1},"all-ci-*":{"w":1}}""");
        Assert.Equal(CachePermission.None.WithPull(), claims.GetPermissionForCache("all-ci-x"));
    }

    [Fact]
    public void DocumentOrderIsKeptNotSorted()
    {
        TokenClaims claims = Verified("""{"all-ci-*":{"w":1},"all-*":{"r":1}}""");
        CachePermission permission = claims.GetPermissionForCache("all-ci-x");
        Assert.True(permission.Push);
        Assert.False(permission.Pull);
        Assert.Equal(["all-ci-*", "all-*"], claims.Caches.Select(c => c.Key.Pattern).ToArray());
    }

    [Fact]
    public void ExactMatchBeatsEarlierWildcard()
    {
        TokenClaims claims = Verified("""{"team-*":{"r":1},"team-a":{"w":1},"*":{"cd":1}}""");
        CachePermission exact = claims.GetPermissionForCache("team-a");
        Assert.True(exact.Push);
        Assert.False(exact.Pull);
        Assert.True(claims.GetPermissionForCache("team-b").Pull);
        Assert.True(claims.GetPermissionForCache("other").DestroyCache);
    }

    [Fact]
    public void NoMatchGivesNone()
    {
        TokenClaims claims = Verified("""{"team-*":{"r":1}}""");
        Assert.Equal(CachePermission.None, claims.GetPermissionForCache("abc-team"));
        Assert.False(claims.GetPermissionForCache("abc-team").CanDiscover);
    }

    [Fact]
    public void EmptyEntryMatchesButGrantsNothing()
    {
        TokenClaims claims = Verified("""{"team-*":{},"*":{"r":1}}""");
        Assert.Equal(CachePermission.None, claims.GetPermissionForCache("team-x"));
    }

    [Fact]
    public void InvalidCacheNamesNeverMatch()
    {
        TokenClaims claims = Verified("""{"team-*":{"r":1},"*":{"r":1}}""");
        Assert.Equal(CachePermission.None, claims.GetPermissionForCache("team-*"));
        Assert.Equal(CachePermission.None, claims.GetPermissionForCache("_api"));
        Assert.Equal(CachePermission.None, claims.GetPermissionForCache(string.Empty));
    }

    [Fact]
    public void RepeatedKeyReplacesValueAtFirstPosition()
    {
        TokenClaims claims = Verified("""{"a-*":{"r":1},"*":{"cc":1},"a-*":{"w":1}}""");
        Assert.Equal(["a-*", "*"], claims.Caches.Select(c => c.Key.Pattern).ToArray());
        CachePermission permission = claims.GetPermissionForCache("a-b");
        Assert.True(permission.Push);
        Assert.False(permission.Pull);
    }

    [Fact]
    public void ConstructorUsesTheSameRules()
    {
        var claims = new TokenClaims(
        [
            new(CacheNamePattern.Parse("x-*"), CachePermission.None.WithPull()),
            new(CacheNamePattern.Parse("x-1"), CachePermission.None.With(CachePermissionBit.Push)),
        ]);
        Assert.True(claims.GetPermissionForCache("x-1").Push);
        Assert.False(claims.GetPermissionForCache("x-1").Pull);
        Assert.True(claims.GetPermissionForCache("x-2").Pull);
    }

    [Fact]
    public void CachePermissionHelpers()
    {
        Assert.False(CachePermission.None.CanDiscover);
        foreach (CachePermissionBit bit in Enum.GetValues<CachePermissionBit>())
        {
            CachePermission one = CachePermission.None.With(bit);
            Assert.True(one.CanDiscover);
            Assert.True(one.Has(bit));
        }

        Assert.True(CachePermission.None.WithPull().Pull);
    }
}
