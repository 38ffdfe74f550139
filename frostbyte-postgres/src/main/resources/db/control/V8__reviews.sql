-- The classification review queue (spec/03 §3.5, POL-17): one pending item per document at most.
CREATE TABLE reviews (
    review_id          uuid        PRIMARY KEY,
    tenant_id          text        NOT NULL REFERENCES tenants (tenant_id),
    doc_id             text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('pending', 'resolved')),
    current_label      text        NOT NULL,
    candidates         text        NOT NULL,
    classifier_version text        NOT NULL,
    created_at         timestamptz NOT NULL,
    resolved_label     text,
    resolved_by        text,
    resolved_at        timestamptz,
    note               text
);
CREATE UNIQUE INDEX reviews_one_pending ON reviews (tenant_id, doc_id) WHERE status = 'pending';
CREATE INDEX reviews_by_tenant ON reviews (tenant_id, status, created_at);
