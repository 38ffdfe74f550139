-- Intake (spec/01): committed batches with their stored batch receipt, one signed receipt per manifest entry, the
-- per-file stage progress behind batch status (§1.8) and the gap-free event stream behind SSE (§1.9). Only ids,
-- hashes, states and codes; the original filename is shown to the tenant and kept here, never in the audit log.
CREATE TABLE batches (
    tenant_id        text        NOT NULL REFERENCES tenants (tenant_id),
    batch_id         text        NOT NULL,
    manifest_sha256  char(64)    NOT NULL,
    status           text        NOT NULL CHECK (status IN ('RECEIVED', 'PROCESSING', 'COMPLETED',
                                                            'COMPLETED_WITH_ERRORS', 'FAILED')),
    file_count       integer     NOT NULL,
    submitted_at     timestamptz,
    submitter        text,
    batch_receipt    text        NOT NULL,
    last_event_id    bigint      NOT NULL DEFAULT 0,
    received_at      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    report_id        uuid,
    PRIMARY KEY (tenant_id, batch_id)
);
CREATE INDEX batches_by_time ON batches (tenant_id, received_at DESC);

CREATE TABLE receipts (
    receipt_id       uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    batch_id         text        NOT NULL,
    position         integer     NOT NULL,
    file_id          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('accepted', 'rejected', 'quarantined')),
    doc_id           text,
    deduplicated     boolean     NOT NULL,
    stored_bytes     bigint      NOT NULL,
    receipt          text        NOT NULL,
    received_at      timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, batch_id) REFERENCES batches (tenant_id, batch_id),
    UNIQUE (tenant_id, batch_id, file_id)
);
CREATE INDEX receipts_by_doc ON receipts (tenant_id, doc_id);

CREATE TABLE batch_files (
    tenant_id        text        NOT NULL,
    batch_id         text        NOT NULL,
    position         integer     NOT NULL,
    file_id          text        NOT NULL,
    receipt_id       uuid        NOT NULL REFERENCES receipts (receipt_id),
    original_filename text       NOT NULL,
    doc_id           text,
    file_status      text        NOT NULL CHECK (file_status IN ('queued', 'processing', 'indexed', 'deduplicated',
                                                                'rejected', 'quarantined', 'failed')),
    stage_intake     text        NOT NULL,
    stage_parse      text        NOT NULL,
    stage_policy     text        NOT NULL,
    stage_embed      text        NOT NULL,
    stage_index      text        NOT NULL,
    error_stage      text,
    error_code       text,
    error_message    text,
    retry_count      integer     NOT NULL DEFAULT 0,
    last_retry_at    timestamptz,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, batch_id, position),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES batches (tenant_id, batch_id)
);
CREATE INDEX batch_files_by_doc ON batch_files (tenant_id, doc_id) WHERE doc_id IS NOT NULL;

CREATE TABLE batch_events (
    tenant_id        text        NOT NULL,
    batch_id         text        NOT NULL,
    event_id         bigint      NOT NULL,
    event_type       text        NOT NULL CHECK (event_type IN ('stage', 'batch', 'end')),
    data             text        NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, batch_id, event_id),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES batches (tenant_id, batch_id)
);
