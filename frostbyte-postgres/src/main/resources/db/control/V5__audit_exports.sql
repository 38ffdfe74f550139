-- Asynchronous audit exports (spec/08 §8.5, spec/06 §6.6): one row per request, the archive itself lives in the
-- platform's file area until the object store takes it; the link expires 24 h after completion.
CREATE TABLE audit_exports (
    export_id        uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL REFERENCES tenants (tenant_id),
    status           text        NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    format           text        NOT NULL CHECK (format IN ('jsonl', 'csv')),
    start_date       date        NOT NULL,
    end_date         date        NOT NULL,
    event_types      jsonb,
    include_details  boolean     NOT NULL,
    estimated_events bigint      NOT NULL DEFAULT 0,
    event_count      bigint,
    file_sha256      char(64),
    file_size_bytes  bigint,
    file_path        text,
    error_code       text,
    created_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    expires_at       timestamptz,
    CONSTRAINT audit_exports_dates CHECK (start_date <= end_date)
);
CREATE INDEX audit_exports_tenant ON audit_exports (tenant_id, created_at);
