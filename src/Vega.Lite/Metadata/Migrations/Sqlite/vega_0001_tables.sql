-- Vega.Lite's own tables and indexes, beside Attic's (docs/attic-database.md): atticd never reads them, and their
-- vega_ / vega- names keep them apart from any table a later Attic adds. Times here are unix seconds.

-- NAR files that `nix copy --to http://…` PUT, by the file name Nix gave them, per cache. A narinfo PUT names one of
-- these in its URL; HEAD on that URL answers from here. atticd's deletes of a NAR or a cache cascade here.
CREATE TABLE vega_nix_upload (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cache_id INTEGER NOT NULL REFERENCES cache (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    nar_id INTEGER NOT NULL REFERENCES nar (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX "vega-nix-upload-cache-file" ON vega_nix_upload (cache_id, file_name);
CREATE INDEX "vega-nix-upload-nar-id" ON vega_nix_upload (nar_id);

-- An upload in flight that has written chunk blobs not yet recorded as chunks. Its blobs' keys derive from the lease
-- id and a counter (Ingest/UploadLease), so when the owning process dies mid-upload, garbage collection can find and
-- delete them. A lease row goes in the same transaction that records its NAR.
CREATE TABLE vega_upload_lease (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- One counter, bumped in the transaction of every change another process must not miss: store paths expired by a
-- garbage-collector process, chunks recorded lost or taken back by `vega-lite verify`. A server polls it and drops
-- what it renders from such rows (narinfo) when it moves.
CREATE TABLE vega_invalidation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO vega_invalidation (id, generation) VALUES (1, 0);

-- The processes that may own upload leases, with a heartbeat on the database's clock. A garbage collector that cannot
-- see an owner's process (another container, another host) counts its leases alive while the heartbeat is fresh.
CREATE TABLE vega_instance (
    process TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
);

-- Lookups Attic's SQLite schema has no index for: NARs by hash (atticd's migration m20230112_000005 lost
-- idx-nar-nar-hash on SQLite), and the objects of a NAR (garbage collection's orphan check).
CREATE INDEX IF NOT EXISTS "vega-nar-nar-hash" ON nar (nar_hash);
CREATE INDEX IF NOT EXISTS "vega-object-nar-id" ON object (nar_id);
