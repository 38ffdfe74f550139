-- A tenant's documents (spec/01 §1.6, spec/05): one row per distinct content, keyed by the doc_id derived from the
-- raw SHA-256 (ARCHITECTURE.md §4). Intake claims the row (ON CONFLICT DO NOTHING decides which file owns a doc_id);
-- later stages fill in what they learn.
CREATE TABLE documents (
    doc_id           text        PRIMARY KEY,
    raw_sha256       char(64)    NOT NULL UNIQUE,
    batch_id         text        NOT NULL,
    file_id          text        NOT NULL,
    receipt_id       uuid        NOT NULL,
    original_filename text       NOT NULL,
    mime_type        text        NOT NULL,
    size_bytes       bigint      NOT NULL,
    storage_path     text        NOT NULL,
    kek_version      integer     NOT NULL,
    status           text        NOT NULL,
    ingested_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
