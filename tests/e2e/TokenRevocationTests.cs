using System.Net;
using Vega.Lite.E2E.Support;

namespace Vega.Lite.E2E;

/// <summary>
/// <c>vega-lite revoke-token</c> on the published binary, run beside a serving process on the same database (SQLite's
/// file or PostgreSQL, as the suite runs): a token named whole, by its jti, or by its subject is refused within about a
/// second, and a token made after its subject was revoked works. Across replicas: ReplicaTests.
/// </summary>
public sealed class TokenRevocationTests : IAsyncLifetime
{
    private VegaLiteProcess _server = null!;

    public async Task InitializeAsync()
    {
        _server = await VegaLiteProcess.StartAsync();
        var created = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", _server.ConfigPath, "ensure-cache", "guarded", "--private"]);
        Assert.True(created.ExitCode == 0, created.Describe("ensure-cache"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>How long until the token is refused (401 on the private cache), asking every 20 ms for at most 10 s.</summary>
    private async Task<TimeSpan> TimeUntilRefusedAsync(string token)
    {
        using var client = CacheApi.Client(_server.BaseUrl, token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("guarded/nix-cache-info");
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                return clock.Elapsed;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the revoked token was still accepted after 10 s\n" + _server.Log);
            await Task.Delay(20);
        }
    }

    private async Task<HttpStatusCode> ReadAsync(string token)
    {
        using var client = CacheApi.Client(_server.BaseUrl, token);
        using var response = await client.GetAsync("guarded/nix-cache-info");
        return response.StatusCode;
    }

    /// <summary>Within a second of the revocation's commit, plus one poll of SQLite's counter.</summary>
    private static readonly TimeSpan Promised = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_token_revoked_whole_or_by_jti_is_refused_within_a_second_and_the_others_keep_working()
    {
        var first = await _server.MakeTokenAsync("--pull", "guarded");
        var second = await _server.MakeTokenAsync("--pull", "guarded");
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(first)); // both remembered as valid from here on
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(second));

        var said = await _server.RevokeTokenAsync(first);
        Assert.StartsWith("Revoked the token with jti ", said);
        var refused = await TimeUntilRefusedAsync(first);
        Assert.True(refused <= Promised, $"refused after {refused}");
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(second));

        var jti = said["Revoked the token with jti ".Length..].Split(' ')[0];
        Assert.Matches("^[0-9a-f-]{36}$", jti);
        var claims = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", _server.ConfigPath, "make-token", "--sub", "e2e",
            "--validity", "1 hour", "--pull", "guarded", "--dump-claims"]);
        Assert.Matches("\"jti\":\"[0-9a-f-]{36}\",\"https://jwt.attic.rs/v1\"", claims.Stdout);

        var secondJti = System.Text.Json.JsonDocument.Parse(Base64UrlPayload(second)).RootElement.GetProperty("jti").GetString()!;
        await _server.RevokeTokenAsync("--jti", secondJti);
        Assert.True(await TimeUntilRefusedAsync(second) <= Promised);
    }

    [Fact]
    public async Task A_subject_revoked_loses_its_tokens_made_until_then_and_keeps_those_made_after()
    {
        var before = await _server.MakeTokenAsync("--pull", "guarded");
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(before));

        Assert.StartsWith("Revoked every token of subject \"e2e\"", await _server.RevokeTokenAsync("--sub", "e2e"));
        Assert.True(await TimeUntilRefusedAsync(before) <= Promised);

        await Task.Delay(TimeSpan.FromSeconds(1.1)); // a later second: a token made now is newer than the revocation
        var after = await _server.MakeTokenAsync("--pull", "guarded");
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(after));
    }

    [Fact]
    public async Task Revoking_what_the_server_does_not_accept_or_nothing_at_all_is_a_usage_error_saying_why()
    {
        var result = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", _server.ConfigPath, "revoke-token", "not.a.token"]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: revoke-token: this server does not accept that token now (", result.Stderr);
        var none = await Processes.RunAsync(VegaLiteProcess.Binary, ["-f", _server.ConfigPath, "revoke-token"]);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("revoke-token needs one of: TOKEN, --jti ID, --sub NAME", none.Stderr);
    }

    private static byte[] Base64UrlPayload(string jwt) => System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]);
}
