-- Tokens revoked with `vega-lite revoke-token`, one row per revocation: by the token's jti, by its subject (every
-- token of that subject issued at or before revoked_at, unix seconds: its nbf, else its iat, else it counts as
-- issued at 0), or by the SHA-256 of the whole token in hex (atticadm's tokens carry no jti). Revoking a subject again
-- moves revoked_at. Every server holds the rows in memory; the trigger moves the polled counter so each reloads them.
CREATE TABLE vega_revoked_token (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('jti', 'sub', 'sha256')),
    value TEXT NOT NULL,
    revoked_at INTEGER NOT NULL,
    UNIQUE (kind, value)
);

CREATE TRIGGER "vega-token-revoked" AFTER INSERT ON vega_revoked_token
BEGIN
    UPDATE vega_invalidation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER "vega-token-revocation-changed" AFTER UPDATE ON vega_revoked_token
BEGIN
    UPDATE vega_invalidation SET generation = generation + 1 WHERE id = 1;
END;
