-- Attic (zhaofengli/attic, main as of 2026-06-26) PostgreSQL schema after all 15 migrations (level L2), with the rows
-- sea-orm-migration records in seaql_migrations, in the order atticd runs them. Facts: docs/attic-database.md.
-- Vega.Lite creates a new PostgreSQL database from this file (Metadata/Postgres/PostgresDatabase.cs).
-- Original header:
-- Attic (zhaofengli/attic main, 2026-06-26) PostgreSQL schema after all 15 migrations, as sea-query emits it.
-- Replayed on PostgreSQL 15.18; constraint/sequence names below are what PostgreSQL then reports (\d).
-- Column order is creation order (ALTER ADD COLUMN appends: nar.num_chunks comes after created_at).
CREATE TABLE "seaql_migrations" ( "version" varchar NOT NULL PRIMARY KEY, "applied_at" bigint NOT NULL );
CREATE TABLE "cache" ( "id" bigserial NOT NULL PRIMARY KEY, "name" varchar(50) NOT NULL UNIQUE, "keypair" varchar NOT NULL, "is_public" bool NOT NULL, "store_dir" varchar NOT NULL, "priority" integer NOT NULL, "upstream_cache_key_names" varchar NOT NULL, "created_at" timestamp with time zone NOT NULL, "deleted_at" timestamp with time zone NULL, "retention_period" integer NULL );
-- cache_pkey, cache_name_key (UNIQUE), sequence cache_id_seq
CREATE INDEX "idx-cache-name" ON "cache" ("name");
CREATE TABLE "nar" ( "id" bigserial NOT NULL PRIMARY KEY, "state" char(1) NOT NULL, "nar_hash" varchar NOT NULL, "nar_size" bigint NOT NULL, "compression" varchar NOT NULL, "holders_count" integer NOT NULL DEFAULT 0, "created_at" timestamp with time zone NOT NULL, "num_chunks" integer NOT NULL DEFAULT 1 );
CREATE INDEX "idx-nar-nar-hash" ON "nar" ("nar_hash");
CREATE INDEX "idx-nar-state-holders" ON "nar" ("state", "holders_count");
CREATE TABLE "object" ( "id" bigserial NOT NULL PRIMARY KEY, "cache_id" bigint NOT NULL, "nar_id" bigint NOT NULL, "store_path_hash" varchar(32) NOT NULL, "store_path" varchar NOT NULL, "references" varchar NOT NULL, "system" varchar, "deriver" varchar, "sigs" varchar NOT NULL, "ca" varchar, "created_at" timestamp with time zone NOT NULL, "last_accessed_at" timestamp with time zone NULL, "created_by" varchar NULL,
  CONSTRAINT "fk_object_cache" FOREIGN KEY ("cache_id") REFERENCES "cache" ("id") ON DELETE CASCADE,
  CONSTRAINT "fk_object_nar" FOREIGN KEY ("nar_id") REFERENCES "nar" ("id") ON DELETE CASCADE );
CREATE UNIQUE INDEX "idx-object-cache-hash" ON "object" ("cache_id", "store_path_hash");
CREATE TABLE "chunk" ( "id" bigserial NOT NULL PRIMARY KEY, "state" char(1) NOT NULL, "chunk_hash" varchar NOT NULL, "chunk_size" bigint NOT NULL, "file_hash" varchar NULL, "file_size" bigint NULL, "compression" varchar NOT NULL, "remote_file" varchar NOT NULL, "remote_file_id" varchar NOT NULL UNIQUE, "holders_count" integer NOT NULL DEFAULT 0, "created_at" timestamp with time zone NOT NULL );
-- chunk_remote_file_id_key (UNIQUE)
CREATE INDEX "idx-chunk-chunk-hash" ON "chunk" ("chunk_hash");
CREATE INDEX "idx-chunk-state-holders" ON "chunk" ("state", "holders_count");
CREATE TABLE "chunkref" ( "id" bigserial NOT NULL PRIMARY KEY, "nar_id" bigint NOT NULL, "seq" integer NOT NULL, "chunk_id" bigint NULL,
  CONSTRAINT "fk_chunkref_chunk" FOREIGN KEY ("chunk_id") REFERENCES "chunk" ("id") ON DELETE SET NULL,
  CONSTRAINT "fk_chunkref_nar" FOREIGN KEY ("nar_id") REFERENCES "nar" ("id") ON DELETE CASCADE );
-- level L1 also has chunkref.chunk_hash varchar NOT NULL, chunkref.compression varchar NOT NULL,
-- nar.completeness_hint bool NOT NULL DEFAULT true
CREATE INDEX "idx-chunk-nar-id" ON "chunkref" ("nar_id");
CREATE INDEX "idx-chunk-chunk-id" ON "chunkref" ("chunk_id");

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
