-- Whoever writes Attic's cache and object tables (this server, another replica, a `vega-lite` command, an atticd
-- sharing the database, a person with psql) notifies vega_invalidate in the same transaction, so every server drops
-- what it holds of those rows once that commits (docs/attic-database.md §5; the payloads are Metadata/CacheChange.cs).
-- Triggers on Attic's tables are invisible to atticd; removing Vega.Lite's extras drops these first (README, "Going
-- back").

CREATE FUNCTION vega_object_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('vega_invalidate', 'p:' || NEW.store_path_hash);
    IF TG_OP = 'UPDATE' AND OLD.store_path_hash <> NEW.store_path_hash THEN
        PERFORM pg_notify('vega_invalidate', 'p:' || OLD.store_path_hash);
    END IF;
    RETURN NULL;
END
$$;

-- last_accessed_at is left out: every download sets it.
CREATE TRIGGER "vega-object-written"
AFTER INSERT OR UPDATE OF cache_id, nar_id, store_path_hash, store_path, "references", system, deriver, sigs, ca ON object
FOR EACH ROW EXECUTE FUNCTION vega_object_written();

-- Once per statement: a garbage collection or a cache's cascade deletes thousands of rows, and past a few dozen one
-- message to drop everything costs less than a message per path.
CREATE FUNCTION vega_objects_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    gone_hash text;
BEGIN
    IF (SELECT count(*) FROM (SELECT 1 FROM gone LIMIT 65) AS first_rows) > 64 THEN
        PERFORM pg_notify('vega_invalidate', '*');
    ELSE
        FOR gone_hash IN SELECT DISTINCT store_path_hash FROM gone LOOP
            PERFORM pg_notify('vega_invalidate', 'p:' || gone_hash);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "vega-objects-deleted"
AFTER DELETE ON object REFERENCING OLD TABLE AS gone
FOR EACH STATEMENT EXECUTE FUNCTION vega_objects_deleted();

CREATE FUNCTION vega_cache_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify('vega_invalidate', 'c:' || OLD.name);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.name <> OLD.name) THEN
        PERFORM pg_notify('vega_invalidate', 'c:' || NEW.name);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "vega-cache-written"
AFTER INSERT OR UPDATE OR DELETE ON cache
FOR EACH ROW EXECUTE FUNCTION vega_cache_written();
