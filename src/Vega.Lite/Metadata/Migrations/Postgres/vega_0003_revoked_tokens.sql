-- Tokens revoked with `vega-lite revoke-token`, as Migrations/Sqlite/vega_0003_revoked_tokens.sql says. A change
-- notifies `r:` on vega_invalidate, so every server reloads the rows once it commits.
CREATE TABLE vega_revoked_token (
    id bigserial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('jti', 'sub', 'sha256')),
    value text NOT NULL,
    revoked_at bigint NOT NULL,
    UNIQUE (kind, value)
);

CREATE FUNCTION vega_token_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('vega_invalidate', 'r:');
    RETURN NULL;
END
$$;

CREATE TRIGGER "vega-token-revoked"
AFTER INSERT OR UPDATE OR DELETE ON vega_revoked_token
FOR EACH STATEMENT EXECUTE FUNCTION vega_token_revoked();
