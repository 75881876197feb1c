-- One counter, bumped in the transaction of every change another process must not miss: store paths expired by a
-- garbage-collector process, chunks recorded lost or taken back by `vega-lite verify`. A server polls it and drops
-- what it renders from such rows (narinfo) when it moves. The vega_ prefix keeps it apart from Attic's tables.
CREATE TABLE vega_invalidation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO vega_invalidation (id, generation) VALUES (1, 0);
