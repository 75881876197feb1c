using System.Text.Json;
using Vega.Lite.Cli;
using Vega.Lite.Config;
using Vega.Lite.Core.Tokens;

namespace Vega.Lite.Tests.Cli;

public sealed class MakeTokenCommandTests
{
    [Fact]
    public void Flags_become_claims_in_atticadms_order_and_the_token_verifies()
    {
        var (request, dump) = MakeTokenCommand.Parse(
            ["--sub", "alice", "--validity", "3 months", "--pull", "alice-*", "--push", "alice-*", "--create-cache", "alice-*", "--pull", "shared"]);
        Assert.False(dump);
        var jwt = new JwtConfig("https://issuer", ["aud-1"], new JwtSigningConfig("token-hs256-secret-base64", "c2VjcmV0LWtleQ=="));
        var token = TokenMinting.Mint(jwt, TimeProvider.System, request);
        var verifier = new TokenVerifier(JwtKey.FromBase64Setting("token-hs256-secret-base64", "c2VjcmV0LWtleQ=="), "https://issuer", ["aud-1"], TimeProvider.System);
        Assert.True(verifier.TryVerify(token, out var claims, out var failure), failure);
        Assert.Equal("alice", claims.Subject);
        var permission = claims.GetPermissionForCache("alice-dev");
        Assert.True(permission.Pull && permission.Push && permission.CreateCache);
        Assert.False(permission.Delete);
        Assert.True(claims.GetPermissionForCache("shared").Pull);
        Assert.False(claims.GetPermissionForCache("bob").CanDiscover);
        var expected = DateTimeOffset.UtcNow.AddSeconds(3 * 2_630_016).ToUnixTimeSeconds();
        Assert.InRange(claims.ExpiresAt!.Value, expected - 5, expected + 5);
    }

    [Fact]
    public void Dump_claims_prints_the_claims_json()
    {
        var (request, dump) = MakeTokenCommand.Parse(["--sub", "x", "--validity", "1h", "--dump-claims", "--destroy-cache", "c"]);
        Assert.True(dump);
        using var json = JsonDocument.Parse(TokenMinting.ClaimsJson(TimeProvider.System, request));
        Assert.Equal("x", json.RootElement.GetProperty("sub").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("https://jwt.attic.rs/v1").GetProperty("caches").GetProperty("c").GetProperty("cd").GetInt32());
    }

    [Theory]
    [InlineData(new[] { "--validity", "1h" }, "--sub")]
    [InlineData(new[] { "--sub", "x" }, "--validity")]
    [InlineData(new[] { "--sub", "x", "--validity", "soon" }, "--validity")]
    [InlineData(new[] { "--sub", "x", "--validity", "1h", "--pull", "bad pattern!" }, "--pull")]
    [InlineData(new[] { "--sub", "x", "--validity", "1h", "--frobnicate" }, "--frobnicate")]
    public void Bad_flags_are_usage_errors(string[] args, string mentioned)
    {
        var error = Assert.Throws<UsageException>(() => MakeTokenCommand.Parse(args));
        Assert.Contains(mentioned, error.Message);
    }

    [Fact]
    public void A_pubkey_only_configuration_cannot_mint()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var pem = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()));
        var jwt = new JwtConfig(null, null, new JwtSigningConfig("token-rs256-pubkey-base64", pem));
        var (request, _) = MakeTokenCommand.Parse(["--sub", "x", "--validity", "1h"]);
        var error = Assert.Throws<ConfigException>(() => TokenMinting.Mint(jwt, TimeProvider.System, request));
        Assert.Contains("Pubkey-only", error.Message);
    }

    [Theory]
    [InlineData(new[] { "-f", "c.toml", "--mode", "check-config" }, "c.toml", "check-config")]
    [InlineData(new[] { "--config=c.toml", "--mode=db-migrations", "-l", "[::]:1" }, "c.toml", "db-migrations")]
    [InlineData(new string[0], null, "monolithic")]
    public void The_command_line_takes_atticds_flags(string[] args, string? config, string mode)
    {
        var parsed = CommandLine.Parse(args, asAtticadm: false);
        Assert.Equal(config, parsed.ConfigPath);
        Assert.Equal(mode, parsed.Mode);
        Assert.Null(parsed.MakeTokenArgs);
    }

    [Fact]
    public void Atticadm_takes_the_config_flag_before_make_token_and_needs_a_subcommand()
    {
        var parsed = CommandLine.Parse(["-f", "c.toml", "make-token", "--sub", "a"], asAtticadm: true);
        Assert.Equal("c.toml", parsed.ConfigPath);
        Assert.Equal(["--sub", "a"], parsed.MakeTokenArgs);
        Assert.Throws<UsageException>(() => CommandLine.Parse(["-f", "c.toml"], asAtticadm: true));
        Assert.Throws<UsageException>(() => CommandLine.Parse(["--mode", "bogus"], asAtticadm: false));
    }
}
