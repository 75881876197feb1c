-- Converts a database made by a Vega.Lite before it used Attic's schema (tables as in Attic but times in unix seconds,
-- remote_file a bare key, nix_upload and upload_lease without a prefix) into Attic's L2 schema, once, in one
-- transaction after a backup copy (SqliteDatabase.ConvertLegacy). The caller has turned foreign keys off, renamed the
-- old tables to vega_legacy_* and created Attic's tables and Vega.Lite's own; this copies the rows, converting, and
-- drops the old tables. $s3, $region and $bucket describe the configured storage, which remote_file now names.
INSERT INTO cache (id, name, keypair, is_public, store_dir, priority, upstream_cache_key_names, created_at, deleted_at, retention_period)
SELECT id, name, keypair, is_public, store_dir, priority, upstream_cache_key_names,
       strftime('%Y-%m-%dT%H:%M:%S', created_at, 'unixepoch') || '+00:00',
       strftime('%Y-%m-%dT%H:%M:%S', deleted_at, 'unixepoch') || '+00:00',
       retention_period
FROM vega_legacy_cache;

INSERT INTO nar (id, state, nar_hash, nar_size, compression, num_chunks, holders_count, created_at)
SELECT id, state, nar_hash, nar_size, compression, num_chunks, holders_count,
       strftime('%Y-%m-%dT%H:%M:%S', created_at, 'unixepoch') || '+00:00'
FROM vega_legacy_nar;

INSERT INTO chunk (id, state, chunk_hash, chunk_size, file_hash, file_size, compression, remote_file, remote_file_id, holders_count, created_at)
SELECT id, state, chunk_hash, chunk_size, file_hash, file_size, compression,
       CASE WHEN $s3 THEN json_object('S3', json_object('region', $region, 'bucket', $bucket, 'key', remote_file))
            ELSE json_object('Local', json_object('name', remote_file)) END,
       CASE WHEN $s3 THEN 's3:' || $region || '/' || $bucket || '/' || remote_file ELSE 'local:' || remote_file END,
       holders_count,
       strftime('%Y-%m-%dT%H:%M:%S', created_at, 'unixepoch') || '+00:00'
FROM vega_legacy_chunk;

INSERT INTO chunkref (id, nar_id, seq, chunk_id) SELECT id, nar_id, seq, chunk_id FROM vega_legacy_chunkref;

INSERT INTO object (id, cache_id, nar_id, store_path_hash, store_path, "references", system, deriver, sigs, ca, created_at, last_accessed_at, created_by)
SELECT id, cache_id, nar_id, store_path_hash, store_path, "references", system, deriver, sigs, ca,
       strftime('%Y-%m-%dT%H:%M:%S', created_at, 'unixepoch') || '+00:00',
       strftime('%Y-%m-%dT%H:%M:%S', last_accessed_at, 'unixepoch') || '+00:00',
       created_by
FROM vega_legacy_object;

INSERT INTO vega_nix_upload (id, cache_id, file_name, nar_id, created_at)
SELECT id, cache_id, file_name, nar_id, created_at FROM vega_legacy_nix_upload;

INSERT INTO vega_upload_lease (id, owner, created_at) SELECT id, owner, created_at FROM vega_legacy_upload_lease;

DROP TABLE vega_legacy_object;
DROP TABLE vega_legacy_chunkref;
DROP TABLE vega_legacy_nix_upload;
DROP TABLE vega_legacy_upload_lease;
DROP TABLE vega_legacy_chunk;
DROP TABLE vega_legacy_nar;
DROP TABLE vega_legacy_cache;
