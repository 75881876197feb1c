-- An upload in flight that has written chunk blobs not yet recorded as chunks. Its blobs' keys derive from the lease
-- id and a counter (Ingest/UploadLease), so when the owning process dies mid-upload, garbage collection can find and
-- delete them. A lease row goes in the same transaction that records its NAR.
CREATE TABLE upload_lease (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
