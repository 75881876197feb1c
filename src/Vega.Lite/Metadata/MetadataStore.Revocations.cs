namespace Vega.Lite.Metadata;

/// <summary>Revoked tokens (<c>vega_revoked_token</c>, Migrations/*/vega_0003_revoked_tokens.sql).</summary>
internal sealed partial class MetadataStore
{
    /// <summary>Records a revocation; revoking a subject again moves its time to now. Returns the time recorded.</summary>
    public async Task<long> RevokeTokenAsync(TokenRevocation.Kind kind, string value, CancellationToken ct)
    {
        var now = NowSeconds;
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection,
            """
            INSERT INTO vega_revoked_token (kind, value, revoked_at) VALUES (@kind, @value, @now)
            ON CONFLICT (kind, value) DO UPDATE SET revoked_at = excluded.revoked_at
            """);
        command.Bind("@kind", TokenRevocation.Name(kind));
        command.Bind("@value", value);
        command.Bind("@now", now);
        await command.ExecuteNonQueryAsync(ct);
        return now;
    }

    /// <summary>Every revocation.</summary>
    public async Task<IReadOnlyList<TokenRevocation>> GetRevocationsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, "SELECT kind, value, revoked_at FROM vega_revoked_token");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var revocations = new List<TokenRevocation>();
        while (await reader.ReadAsync(ct))
        {
            if (TokenRevocation.TryParseKind(reader.GetString(0), out var kind))
            {
                revocations.Add(new TokenRevocation(kind, reader.GetString(1), reader.GetInt64(2)));
            }
        }
        return revocations;
    }
}

/// <summary>One row of <c>vega_revoked_token</c>.</summary>
internal sealed record TokenRevocation(TokenRevocation.Kind By, string Value, long RevokedAt)
{
    public enum Kind
    {
        JwtId,
        Subject,
        TokenHash,
    }

    public static string Name(Kind kind) => kind switch
    {
        Kind.JwtId => "jti",
        Kind.Subject => "sub",
        _ => "sha256",
    };

    public static bool TryParseKind(string name, out Kind kind)
    {
        (var known, kind) = name switch
        {
            "jti" => (true, Kind.JwtId),
            "sub" => (true, Kind.Subject),
            "sha256" => (true, Kind.TokenHash),
            _ => (false, Kind.JwtId),
        };
        return known;
    }
}
