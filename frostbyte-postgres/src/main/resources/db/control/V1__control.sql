-- Control database, version 1: tenant registry, tenant keysets, job queue, dead letters (spec/07, spec/09 §9.1).
-- Timestamps are timestamptz written from the application clock; the control database never holds document content.

CREATE TABLE tenants (
    tenant_id        text        PRIMARY KEY
                     CONSTRAINT tenants_tenant_id_format CHECK (
                         tenant_id = '_platform'
                         OR (tenant_id ~ '^[a-z][a-z0-9-]{1,30}[a-z0-9]$' AND position('--' IN tenant_id) = 0)),
    tenant_name      text        NOT NULL CONSTRAINT tenants_tenant_name_length CHECK (length(tenant_name) BETWEEN 1 AND 200),
    contact_email    text,
    state            text        NOT NULL
                     CONSTRAINT tenants_state_known CHECK (state IN (
                         'PENDING', 'PROVISIONING', 'FAILED', 'ACTIVE', 'SUSPENDED',
                         'DEPROVISIONING', 'DEPROVISIONED')),
    tier             text        NOT NULL DEFAULT 'standard'
                     CONSTRAINT tenants_tier_known CHECK (tier IN ('standard', 'premium', 'enterprise')),
    key_epoch        bigint      NOT NULL DEFAULT 1 CONSTRAINT tenants_key_epoch_positive CHECK (key_epoch >= 1),
    embedding_halted boolean     NOT NULL DEFAULT false,
    config           jsonb       NOT NULL DEFAULT '{}'::jsonb
                     CONSTRAINT tenants_config_object CHECK (jsonb_typeof(config) = 'object'),
    config_version   integer     NOT NULL DEFAULT 1 CONSTRAINT tenants_config_version_positive CHECK (config_version >= 1),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    provisioned_at   timestamptz
);

INSERT INTO tenants (tenant_id, tenant_name, contact_email, state, tier, key_epoch, embedding_halted,
                     config, config_version, created_at, updated_at, provisioned_at)
VALUES ('_platform', 'Platform', NULL, 'ACTIVE', 'standard', 1, false, '{}'::jsonb, 1, now(), now(), now());

-- Wrapped KEK keysets (TenantKeysetStore). A destroyed keyset keeps a tombstone row with empty key bytes.
CREATE TABLE tenant_keysets (
    tenant_id    text        PRIMARY KEY REFERENCES tenants (tenant_id),
    keyset_id    text        NOT NULL,
    wrapped      bytea       NOT NULL,
    revision     bigint      NOT NULL CONSTRAINT tenant_keysets_revision_positive CHECK (revision >= 1),
    -- [{"version": 1, "key_id": 1001, "status": "PRIMARY", "created_at": "<ISO-8601>", "destroyed_at": null}, ...]
    versions     jsonb       NOT NULL CONSTRAINT tenant_keysets_versions_array CHECK (jsonb_typeof(versions) = 'array'),
    created_at   timestamptz NOT NULL,
    destroyed_at timestamptz,
    CONSTRAINT tenant_keysets_destroyed_is_empty CHECK (destroyed_at IS NULL OR length(wrapped) = 0)
);

CREATE TABLE jobs (
    job_id           uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL REFERENCES tenants (tenant_id),
    stage            text        NOT NULL
                     CONSTRAINT jobs_stage_known CHECK (stage IN (
                         'parse', 'policy', 'embed', 'index', 'export', 'rewrap', 'rebuild', 'delete')),
    resource_type    text        NOT NULL,
    resource_id      text        NOT NULL,
    idempotency_key  text        NOT NULL,
    payload          jsonb       NOT NULL DEFAULT '{}'::jsonb
                     CONSTRAINT jobs_payload_object CHECK (jsonb_typeof(payload) = 'object'),
    status           text        NOT NULL
                     CONSTRAINT jobs_status_known CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'dead')),
    attempt          integer     NOT NULL DEFAULT 0 CONSTRAINT jobs_attempt_not_negative CHECK (attempt >= 0),
    next_run_at      timestamptz NOT NULL,
    lease_owner      text,
    lease_until      timestamptz,
    -- {"code": "PARSER_ERROR", "message": "..."} of the latest failed attempt
    last_error       jsonb,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    first_attempt_at timestamptz,
    CONSTRAINT jobs_tenant_stage_idempotency_key UNIQUE (tenant_id, stage, idempotency_key),
    CONSTRAINT jobs_processing_has_lease CHECK (
        status <> 'processing' OR (lease_owner IS NOT NULL AND lease_until IS NOT NULL)),
    CONSTRAINT jobs_last_error_shape CHECK (
        last_error IS NULL OR (last_error ? 'code' AND last_error ? 'message'))
);

-- Claiming: per tenant, due queued jobs and expired leases, oldest next_run_at first (an ordered scan with a limit).
CREATE INDEX jobs_claimable ON jobs (tenant_id, next_run_at, job_id) WHERE status IN ('queued', 'processing');
-- Running jobs per tenant (max concurrent per tenant) and expired leases.
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE status = 'processing';
-- Queue depth per stage for metrics.
CREATE INDEX jobs_queued_stage ON jobs (stage) WHERE status = 'queued';
CREATE INDEX jobs_tenant_status ON jobs (tenant_id, status);

CREATE TABLE dead_letters (
    dlq_entry_id     uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL REFERENCES tenants (tenant_id),
    original_job_id  uuid        NOT NULL CONSTRAINT dead_letters_one_per_job UNIQUE,
    stage            text        NOT NULL
                     CONSTRAINT dead_letters_stage_known CHECK (stage IN (
                         'parse', 'policy', 'embed', 'index', 'export', 'rewrap', 'rebuild', 'delete')),
    resource_type    text        NOT NULL,
    resource_id      text        NOT NULL,
    first_attempt_at timestamptz NOT NULL,
    last_attempt_at  timestamptz NOT NULL,
    retry_count      integer     NOT NULL CONSTRAINT dead_letters_retry_count_not_negative CHECK (retry_count >= 0),
    -- {"code": "PARSE_TIMEOUT", "message": "...", "stack_trace_hash": "a268dc92cad9d577"}
    error            jsonb       NOT NULL
                     CONSTRAINT dead_letters_error_shape CHECK (
                         error ? 'code' AND error ? 'message' AND error ? 'stack_trace_hash'),
    status           text        NOT NULL DEFAULT 'pending_review'
                     CONSTRAINT dead_letters_status_known CHECK (status IN ('pending_review', 'resolved', 'abandoned')),
    resolved_at      timestamptz,
    resolution       text
                     CONSTRAINT dead_letters_resolution_known CHECK (resolution IN ('reprocessed', 'skipped', 'manual_fix')),
    resolved_by      text,
    -- the job a retry created (resolution 'reprocessed'); reported in DLQ_RESOLVED as new_job_id
    new_job_id       uuid,
    CONSTRAINT dead_letters_resolution_consistent CHECK (
        (status = 'pending_review' AND resolved_at IS NULL AND resolution IS NULL AND resolved_by IS NULL)
        OR (status = 'resolved' AND resolved_at IS NOT NULL AND resolution = 'reprocessed'
            AND resolved_by IS NOT NULL AND new_job_id IS NOT NULL)
        OR (status = 'abandoned' AND resolved_at IS NOT NULL AND resolution IN ('skipped', 'manual_fix')
            AND resolved_by IS NOT NULL))
);

CREATE INDEX dead_letters_tenant ON dead_letters (tenant_id, dlq_entry_id);
CREATE INDEX dead_letters_pending_stage ON dead_letters (stage) WHERE status = 'pending_review';
