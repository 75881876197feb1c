-- The processes that may own upload leases, with a heartbeat on the database's clock. A garbage collector that cannot
-- see an owner's process (another container, another host) counts its leases alive while the heartbeat is fresh.
CREATE TABLE vega_instance (
    process TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
);
