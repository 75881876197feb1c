-- Vega.Lite's own tables and indexes on PostgreSQL, the same as Migrations/Sqlite/vega_0001_tables.sql says (what
-- each is for is written there). Times here are unix seconds.

CREATE TABLE vega_nix_upload (
    id bigserial PRIMARY KEY,
    cache_id bigint NOT NULL REFERENCES cache (id) ON DELETE CASCADE,
    file_name text NOT NULL,
    nar_id bigint NOT NULL REFERENCES nar (id) ON DELETE CASCADE,
    created_at bigint NOT NULL
);
CREATE UNIQUE INDEX "vega-nix-upload-cache-file" ON vega_nix_upload (cache_id, file_name);
CREATE INDEX "vega-nix-upload-nar-id" ON vega_nix_upload (nar_id);

CREATE TABLE vega_upload_lease (
    id text PRIMARY KEY,
    owner text NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE vega_invalidation (
    id integer PRIMARY KEY CHECK (id = 1),
    generation bigint NOT NULL
);
INSERT INTO vega_invalidation (id, generation) VALUES (1, 0);

CREATE TABLE vega_instance (
    process text PRIMARY KEY,
    started_at bigint NOT NULL,
    heartbeat_at bigint NOT NULL
);

-- Attic's PostgreSQL schema keeps idx-nar-nar-hash; the objects of a NAR (garbage collection's orphan check) have no
-- index of Attic's.
CREATE INDEX IF NOT EXISTS "vega-object-nar-id" ON object (nar_id);
