-- What the status page draws that Attic's tables do not keep (Observability/CacheStatistics.cs).
-- One row per garbage-collection pass that ran (a skipped turn writes none); times in unix seconds.
CREATE TABLE vega_gc_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    objects INTEGER NOT NULL,
    nars INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    freed_bytes INTEGER NOT NULL,
    lost_chunks INTEGER NOT NULL
);

-- The whole storage, sampled at most once an hour by whichever server refreshes its statistics first in that hour:
-- hour is unix seconds / 3600. Stored bytes are the chunks' compressed files; NAR bytes what they unpack to.
CREATE TABLE vega_storage_sample (
    hour INTEGER PRIMARY KEY,
    objects INTEGER NOT NULL,
    nar_bytes INTEGER NOT NULL,
    stored_bytes INTEGER NOT NULL
);
