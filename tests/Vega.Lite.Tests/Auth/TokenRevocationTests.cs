using Vega.Lite.Auth;
using Vega.Lite.Cli;
using Vega.Lite.Metadata;

namespace Vega.Lite.Tests.Auth;

/// <summary>
/// Revocations another process records (<c>vega-lite revoke-token</c>) reach a running server: a token without a jti
/// (as atticadm makes them) by its SHA-256, and revoke-token's arguments. The binary's own command: e2e
/// TokenRevocationTests.
/// </summary>
public sealed class TokenRevocationTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        await _server.CreateCacheAsync("guarded");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpStatusCode> ReadAsync(string token)
    {
        using var client = _server.Client(token);
        using var response = await client.GetAsync("/guarded/nix-cache-info");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_token_without_a_jti_is_revoked_by_its_hash_and_refused_within_two_polls()
    {
        var token = _server.Token("ci", ("guarded", TestServer.PullOnly));
        var other = _server.Token("ci", ("guarded", TestServer.PullOnly), ("elsewhere", TestServer.PullOnly));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(token)); // remembered as valid from here on

        await _server.OtherProcess().RevokeTokenAsync(TokenRevocation.Kind.TokenHash, TokenRevocations.HashOf(token), CancellationToken.None);

        var deadline = DateTime.UtcNow + MetadataDatabase.ChangePollInterval * 2;
        HttpStatusCode status;
        while ((status = await ReadAsync(token)) == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(other));
        Assert.Equal(["sha256|" + TokenRevocations.HashOf(token)], _server.Rows("SELECT kind || '|' || value FROM vega_revoked_token").Select(r => r[0]));
    }

    [Theory]
    [InlineData("--jti", "abc", "JwtId", "abc")]
    [InlineData("--jti=abc", null, "JwtId", "abc")]
    [InlineData("--sub", "ci", "Subject", "ci")]
    public void Revoke_token_names_a_jti_or_a_subject(string flag, string? value, string kind, string expected)
    {
        var (parsedKind, parsedValue, _) = RevokeTokenCommand.Parse(value is null ? [flag] : [flag, value], jwt: null!);
        Assert.Equal(kind, parsedKind.ToString());
        Assert.Equal(expected, parsedValue);
    }

    [Theory]
    [InlineData]
    [InlineData("--jti")]
    [InlineData("--sub", "")]
    [InlineData("--what", "x")]
    [InlineData("a", "b")]
    public void Revoke_token_without_exactly_one_thing_to_revoke_is_a_usage_error(params string[] args) =>
        Assert.Throws<UsageException>(() => RevokeTokenCommand.Parse(args, jwt: null!));
}
