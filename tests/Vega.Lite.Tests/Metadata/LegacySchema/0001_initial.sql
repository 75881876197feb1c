-- Attic's schema (docs/attic-api.md §6.1), so that chunked NARs (a later issue) fit without a rewrite.
-- Times are unix seconds. A NAR is a sequence of chunks; an unchunked NAR is a NAR of one chunk.
CREATE TABLE cache (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    keypair TEXT NOT NULL,
    is_public INTEGER NOT NULL,
    store_dir TEXT NOT NULL,
    priority INTEGER NOT NULL,
    upstream_cache_key_names TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER NULL,
    retention_period INTEGER NULL
);

CREATE TABLE nar (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    state TEXT NOT NULL,
    nar_hash TEXT NOT NULL,
    nar_size INTEGER NOT NULL,
    compression TEXT NOT NULL,
    num_chunks INTEGER NOT NULL DEFAULT 1,
    holders_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX idx_nar_nar_hash ON nar (nar_hash);
CREATE INDEX idx_nar_state_holders ON nar (state, holders_count);

CREATE TABLE chunk (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    state TEXT NOT NULL,
    chunk_hash TEXT NOT NULL,
    chunk_size INTEGER NOT NULL,
    file_hash TEXT NULL,
    file_size INTEGER NULL,
    compression TEXT NOT NULL,
    remote_file TEXT NOT NULL,
    remote_file_id TEXT NOT NULL UNIQUE,
    holders_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX idx_chunk_chunk_hash ON chunk (chunk_hash);
CREATE INDEX idx_chunk_state_holders ON chunk (state, holders_count);

CREATE TABLE chunkref (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    nar_id INTEGER NOT NULL REFERENCES nar (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    chunk_id INTEGER NULL REFERENCES chunk (id) ON DELETE SET NULL
);
CREATE INDEX idx_chunkref_nar_id ON chunkref (nar_id);
CREATE INDEX idx_chunkref_chunk_id ON chunkref (chunk_id);

CREATE TABLE object (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cache_id INTEGER NOT NULL REFERENCES cache (id) ON DELETE CASCADE,
    nar_id INTEGER NOT NULL REFERENCES nar (id) ON DELETE CASCADE,
    store_path_hash TEXT NOT NULL,
    store_path TEXT NOT NULL,
    "references" TEXT NOT NULL,
    system TEXT NULL,
    deriver TEXT NULL,
    sigs TEXT NOT NULL,
    ca TEXT NULL,
    created_at INTEGER NOT NULL,
    last_accessed_at INTEGER NULL,
    created_by TEXT NULL
);
CREATE UNIQUE INDEX idx_object_cache_hash ON object (cache_id, store_path_hash);
CREATE INDEX idx_object_nar_id ON object (nar_id);

-- Beyond Attic: NAR files that `nix copy --to http://…` PUT, by the file name Nix gave them, per cache.
-- A narinfo PUT names one of these in its URL; HEAD on that URL answers from here.
CREATE TABLE nix_upload (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cache_id INTEGER NOT NULL REFERENCES cache (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    nar_id INTEGER NOT NULL REFERENCES nar (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX idx_nix_upload_cache_file ON nix_upload (cache_id, file_name);
CREATE INDEX idx_nix_upload_nar_id ON nix_upload (nar_id);
