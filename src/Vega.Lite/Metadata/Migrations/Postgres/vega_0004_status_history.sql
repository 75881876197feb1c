-- What the status page draws, as Migrations/Sqlite/vega_0004_status_history.sql says.
CREATE TABLE vega_gc_run (
    id bigserial PRIMARY KEY,
    started_at bigint NOT NULL,
    duration_ms bigint NOT NULL,
    objects bigint NOT NULL,
    nars bigint NOT NULL,
    chunks bigint NOT NULL,
    freed_bytes bigint NOT NULL,
    lost_chunks bigint NOT NULL
);

CREATE TABLE vega_storage_sample (
    hour bigint PRIMARY KEY,
    objects bigint NOT NULL,
    nar_bytes bigint NOT NULL,
    stored_bytes bigint NOT NULL
);
