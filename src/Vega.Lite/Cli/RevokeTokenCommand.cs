using Vega.Lite.Auth;
using Vega.Lite.Config;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Metadata;

namespace Vega.Lite.Cli;

/// <summary>
/// <c>revoke-token TOKEN | --jti ID | --sub NAME</c> (what Attic lacks: its PR #285): records the revocation in the
/// database, where every server on it reads it within about a second (<see cref="TokenRevocations"/>). A token is
/// named by its <c>jti</c> when it has one (every <c>vega-lite make-token</c> token), else by its SHA-256 (atticadm's);
/// a subject revokes every token of it issued up to now, not the ones made later.
/// </summary>
internal static class RevokeTokenCommand
{
    public static async Task<int> RunAsync(string? configPath, IReadOnlyList<string> args, Func<string, string?> env, TextWriter output)
    {
        var config = ConfigLoader.Load(configPath, env);
        var (kind, value, what) = Parse(args, config.Jwt);
        ServerCommand.Migrate(config);
        using var database = MetadataDatabase.For(config.Database.Url);
        var metadata = new MetadataStore(database, RemoteFiles.For(config.Storage), TimeProvider.System);
        await metadata.RevokeTokenAsync(kind, value, CancellationToken.None);
        output.WriteLine($"Revoked {what}: every server on {database.Description} refuses it within a second.");
        return 0;
    }

    public static (TokenRevocation.Kind Kind, string Value, string What) Parse(IReadOnlyList<string> args, JwtConfig jwt)
    {
        var usage = "revoke-token needs one of: TOKEN, --jti ID, --sub NAME";
        if (args.Count == 0 || args.Count > 2)
        {
            throw new UsageException(usage);
        }
        var (flag, inline) = OptionArgument.Split(args[0]);
        string Value() => inline ?? (args.Count == 2 && args[1].Length > 0 ? args[1] : throw new UsageException($"{flag} needs a value"));
        switch (flag)
        {
            case "--jti":
                return (TokenRevocation.Kind.JwtId, Value(), $"the token with jti {Value()}");
            case "--sub":
                return (TokenRevocation.Kind.Subject, Value(), $"every token of subject \"{Value()}\" issued until now");
            case var token when args.Count == 1 && !token.StartsWith('-'):
                var key = JwtKey.FromBase64Setting(jwt.Signing.SettingName, jwt.Signing.Base64Value);
                if (!new TokenVerifier(key, jwt.BoundIssuer, jwt.BoundAudiences, TimeProvider.System).TryVerify(token, out var claims, out var failure))
                {
                    // An expired token needs no revoking; one not valid yet is named by --jti or --sub instead.
                    throw new UsageException($"revoke-token: this server does not accept that token now ({failure}), so there is nothing to revoke");
                }
                var subject = claims.Subject is { } sub ? $" of subject \"{sub}\"" : "";
                return claims.JwtId is { } id
                    ? (TokenRevocation.Kind.JwtId, id, $"the token with jti {id}{subject}")
                    : (TokenRevocation.Kind.TokenHash, TokenRevocations.HashOf(token), $"the token{subject} (it has no jti: recorded by its SHA-256)");
            default:
                throw new UsageException(usage);
        }
    }
}
