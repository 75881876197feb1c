-- Whoever writes Attic's cache and object tables (this server, a `vega-lite` command, an atticd sharing the database,
-- a person with sqlite3) moves the invalidation counter in the same transaction, so every server drops what it holds
-- of those rows within a poll (docs/attic-database.md §5). A new object moves nothing: a path pushed by another
-- process is found when the held miss ages out, and pushes do not flush every server's held narinfo. Triggers on
-- Attic's tables are invisible to atticd; removing Vega.Lite's extras drops these first (README, "Going back").

CREATE TRIGGER "vega-cache-inserted" AFTER INSERT ON cache
BEGIN
    UPDATE vega_invalidation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER "vega-cache-updated" AFTER UPDATE ON cache
BEGIN
    UPDATE vega_invalidation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER "vega-cache-deleted" AFTER DELETE ON cache
BEGIN
    UPDATE vega_invalidation SET generation = generation + 1 WHERE id = 1;
END;

-- last_accessed_at is left out: every download sets it.
CREATE TRIGGER "vega-object-updated"
AFTER UPDATE OF cache_id, nar_id, store_path_hash, store_path, "references", system, deriver, sigs, ca ON object
BEGIN
    UPDATE vega_invalidation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER "vega-object-deleted" AFTER DELETE ON object
BEGIN
    UPDATE vega_invalidation SET generation = generation + 1 WHERE id = 1;
END;
