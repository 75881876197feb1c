using System.Security.Cryptography;
using System.Text;
using Vega.Lite.Core.Tokens;
using Vega.Lite.Metadata;

namespace Vega.Lite.Auth;

/// <summary>
/// The tokens revoked with <c>vega-lite revoke-token</c> (<c>vega_revoked_token</c>), held in memory: loaded before
/// the server answers, and reloaded whenever the database says any process revoked one (<c>Api/CacheCoherence.cs</c>:
/// PostgreSQL's <c>r:</c> notification, on SQLite the polled counter), so a revoked token is refused on every replica
/// within about a second.
/// </summary>
internal sealed class TokenRevocations(MetadataStore metadata, ILogger<TokenRevocations> log) : IHostedService
{
    private readonly Lock _gate = new();
    private Revoked _current = Revoked.None;
    private long _loadsStarted;
    private long _loadApplied;

    public Task StartAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether this verified token is revoked.</summary>
    public bool IsRevoked(string token, TokenClaims claims) => Volatile.Read(ref _current).Covers(token, claims);

    /// <summary>Reads the revocations again; of two loads at once, the one started last is the one kept.</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        var load = Interlocked.Increment(ref _loadsStarted);
        var revoked = Revoked.From(await metadata.GetRevocationsAsync(ct));
        lock (_gate)
        {
            if (load > _loadApplied)
            {
                _loadApplied = load;
                Volatile.Write(ref _current, revoked);
            }
        }
    }

    /// <summary>Starts a reload without waiting for it (a change was reported); a failed one is logged, and the last list kept.</summary>
    public void ReloadSoon() => _ = Task.Run(async () =>
    {
        try
        {
            await ReloadAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            log.LogWarning("Cannot reload the revoked tokens ({Reason}); the list read before stays in force", e.Message);
        }
    });

    private sealed class Revoked
    {
        public static readonly Revoked None = new([]);

        private readonly HashSet<string> _jwtIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _subjects = new(StringComparer.Ordinal);
        private readonly HashSet<string> _tokenHashes = new(StringComparer.Ordinal);

        private Revoked(IEnumerable<TokenRevocation> rows)
        {
            foreach (var row in rows)
            {
                switch (row.By)
                {
                    case TokenRevocation.Kind.JwtId:
                        _jwtIds.Add(row.Value);
                        break;
                    case TokenRevocation.Kind.Subject:
                        _subjects[row.Value] = row.RevokedAt;
                        break;
                    default:
                        _tokenHashes.Add(row.Value);
                        break;
                }
            }
        }

        public static Revoked From(IReadOnlyList<TokenRevocation> rows) => rows.Count == 0 ? None : new Revoked(rows);

        /// <summary>A subject's revocation covers its tokens issued at or before it (nbf, else iat, else 0).</summary>
        public bool Covers(string token, TokenClaims claims) =>
            (claims.JwtId is { } id && _jwtIds.Contains(id))
            || (claims.Subject is { } subject && _subjects.TryGetValue(subject, out var revokedAt)
                && (claims.NotBefore ?? claims.IssuedAt ?? 0) <= revokedAt)
            || (_tokenHashes.Count > 0 && _tokenHashes.Contains(HashOf(token)));
    }

    /// <summary>The hex SHA-256 of a token's text, as <c>revoke-token TOKEN</c> records it.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
