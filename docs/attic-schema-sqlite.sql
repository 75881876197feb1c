-- Attic (zhaofengli/attic, main as of 2026-06-26) SQLite schema after all 15 migrations (level L2), with the rows
-- sea-orm-migration records in seaql_migrations, in the order atticd runs them (server/src/database/migration/mod.rs;
-- the names of the two 2022-12-27 create migrations are swapped relative to their files). Facts: docs/attic-database.md.
-- Original header:, as sea-query 0.32
-- (atticd built on/after 2026-06-24) declares it. Reconstructed from server/src/database/migration/*.rs and
-- SeaQL/sea-query src/backend/sqlite/table.rs, replayed in sqlite3 3.40 and dumped from sqlite_master.
-- Databases first migrated by older atticd builds (sea-query 0.27-0.30) say text / text(50) / text(1) / integer /
-- bigint / boolean / text instead of varchar / varchar(50) / char(1) / integer / bigint / boolean /
-- timestamp_with_timezone_text. Affinities are the same (TEXT, INTEGER, NUMERIC for boolean).
-- Timestamps hold RFC 3339 text written by sqlx: 2024-05-01T12:34:56.123456789+00:00 (0/3/6/9 fraction digits).
CREATE TABLE "seaql_migrations" ( "version" varchar NOT NULL PRIMARY KEY, "applied_at" bigint NOT NULL );
CREATE TABLE "cache" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL UNIQUE, "keypair" varchar NOT NULL, "is_public" boolean NOT NULL, "store_dir" varchar NOT NULL, "priority" integer NOT NULL, "upstream_cache_key_names" varchar NOT NULL, "created_at" timestamp_with_timezone_text NOT NULL, "deleted_at" timestamp_with_timezone_text NULL , "retention_period" integer NULL);
CREATE INDEX "idx-cache-name" ON "cache" ("name");
CREATE TABLE "nar" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "state" char(1) NOT NULL, "nar_hash" varchar NOT NULL, "nar_size" bigint NOT NULL, "compression" varchar NOT NULL, "num_chunks" integer NOT NULL DEFAULT 1, "holders_count" integer NOT NULL DEFAULT 0, "created_at" timestamp_with_timezone_text NOT NULL );
-- (no "idx-nar-nar-hash" on SQLite: migration m20230112_000005 rebuilt nar as nar_new and did not recreate it)
CREATE INDEX "idx-nar-state-holders" ON "nar" ("state", "holders_count");
CREATE TABLE "object" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "cache_id" bigint NOT NULL, "nar_id" bigint NOT NULL, "store_path_hash" varchar(32) NOT NULL, "store_path" varchar NOT NULL, "references" varchar NOT NULL, "system" varchar, "deriver" varchar, "sigs" varchar NOT NULL, "ca" varchar, "created_at" timestamp_with_timezone_text NOT NULL, "last_accessed_at" timestamp_with_timezone_text NULL, "created_by" varchar NULL, FOREIGN KEY ("cache_id") REFERENCES "cache" ("id") ON DELETE CASCADE, FOREIGN KEY ("nar_id") REFERENCES "nar" ("id") ON DELETE CASCADE );
CREATE UNIQUE INDEX "idx-object-cache-hash" ON "object" ("cache_id", "store_path_hash");
CREATE TABLE "chunk" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "state" char(1) NOT NULL, "chunk_hash" varchar NOT NULL, "chunk_size" bigint NOT NULL, "file_hash" varchar NULL, "file_size" bigint NULL, "compression" varchar NOT NULL, "remote_file" varchar NOT NULL, "remote_file_id" varchar NOT NULL UNIQUE, "holders_count" integer NOT NULL DEFAULT 0, "created_at" timestamp_with_timezone_text NOT NULL );
CREATE INDEX "idx-chunk-chunk-hash" ON "chunk" ("chunk_hash");
CREATE INDEX "idx-chunk-state-holders" ON "chunk" ("state", "holders_count");
CREATE TABLE "chunkref" ( "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "nar_id" bigint NOT NULL, "seq" integer NOT NULL, "chunk_id" bigint NULL, FOREIGN KEY ("chunk_id") REFERENCES "chunk" ("id") ON DELETE SET NULL, FOREIGN KEY ("nar_id") REFERENCES "nar" ("id") ON DELETE CASCADE );
-- level L1 (before m20260624_000001) also has: chunkref."chunk_hash" NOT NULL, chunkref."compression" NOT NULL
-- (no default: an INSERT that omits them fails) and nar."completeness_hint" boolean NOT NULL DEFAULT TRUE.
CREATE INDEX "idx-chunk-nar-id" ON "chunkref" ("nar_id");
CREATE INDEX "idx-chunk-chunk-id" ON "chunkref" ("chunk_id");
-- The bookkeeping rows (applied_at: unix seconds; the value is whenever atticd ran them).
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20221227_000001_create_cache_table', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20221227_000003_create_nar_table', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20221227_000002_create_object_table', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20221227_000004_add_object_last_accessed', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20221227_000005_add_cache_retention_period', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20230103_000001_add_object_created_by', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20230112_000001_add_chunk_table', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20230112_000002_add_chunkref_table', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20230112_000003_add_nar_num_chunks', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20230112_000004_migrate_nar_remote_files_to_chunks', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20230112_000005_drop_old_nar_columns', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20230112_000006_add_nar_completeness_hint', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20260508_000001_add_chunk_state_holders_index', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20260611_000001_add_nar_state_holders_index', 1750000000);
INSERT INTO "seaql_migrations" ("version", "applied_at") VALUES ('m20260624_000001_remove_chunk_recovery', 1750000000);
