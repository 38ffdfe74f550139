-- Acceptance reports (spec/11 §11.2): a new version each time a batch becomes terminal. The batch row names the
-- current report as soon as the status is terminal (the SSE end event carries its id); the report itself is built
-- right after and stored here as canonical JSON with its sha256.
ALTER TABLE batches ADD COLUMN report_version integer NOT NULL DEFAULT 0;

CREATE TABLE batch_reports (
    report_id        uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    batch_id         text        NOT NULL,
    version          integer     NOT NULL,
    report           text        NOT NULL,
    report_sha256    char(64)    NOT NULL,
    generated_at     timestamptz NOT NULL,
    UNIQUE (tenant_id, batch_id, version),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES batches (tenant_id, batch_id)
);
