-- Control database, version 4: tenant lifecycle (spec/07 §7.1-7.4): provisioning progress, sealed tenant secrets,
-- deletable admin reasons, the deletion receipt on the tombstone row.

ALTER TABLE tenants
    ADD COLUMN provisioning_attempt     integer     NOT NULL DEFAULT 0
        CONSTRAINT tenants_provisioning_attempt_not_negative CHECK (provisioning_attempt >= 0),
    -- why the tenant is FAILED: 'provisioning' (retry allowed) or 'deprovisioning' (only abandon)
    ADD COLUMN failure_kind             text
        CONSTRAINT tenants_failure_kind_known CHECK (failure_kind IN ('provisioning', 'deprovisioning')),
    -- {"step": "tenant_database", "error_code": "INTERNAL_ERROR", "exception": "PSQLException"}: no messages, no secrets
    ADD COLUMN last_provisioning_error  jsonb,
    -- names of steps whose resources could not be removed
    ADD COLUMN leftovers                jsonb       NOT NULL DEFAULT '[]'::jsonb
        CONSTRAINT tenants_leftovers_array CHECK (jsonb_typeof(leftovers) = 'array'),
    ADD COLUMN deprovision_requested_at timestamptz,
    ADD COLUMN deletion_receipt_id      uuid,
    ADD COLUMN deletion_receipt         jsonb,
    ADD COLUMN deprovisioned_at         timestamptz;

CREATE INDEX tenants_state ON tenants (state, tenant_id);

-- One row per step and attempt; the latest attempt is what GET /admin/tenants/{t}/provisioning shows.
CREATE TABLE tenant_provisioning_steps (
    tenant_id    text        NOT NULL REFERENCES tenants (tenant_id),
    attempt      integer     NOT NULL CONSTRAINT tenant_provisioning_steps_attempt_positive CHECK (attempt >= 1),
    position     integer     NOT NULL CONSTRAINT tenant_provisioning_steps_position_not_negative CHECK (position >= 0),
    step         text        NOT NULL CONSTRAINT tenant_provisioning_steps_step_format CHECK (step ~ '^[a-z][a-z0-9_]{0,62}$'),
    status       text        NOT NULL
                 CONSTRAINT tenant_provisioning_steps_status_known CHECK (status IN (
                     'pending', 'running', 'done', 'failed', 'rolled_back')),
    tries        integer     NOT NULL DEFAULT 0 CONSTRAINT tenant_provisioning_steps_tries_not_negative CHECK (tries >= 0),
    started_at   timestamptz,
    completed_at timestamptz,
    error_code   text,
    -- ids of what the step created (no secrets)
    resources    jsonb       NOT NULL DEFAULT '{}'::jsonb
                 CONSTRAINT tenant_provisioning_steps_resources_object CHECK (jsonb_typeof(resources) = 'object'),
    PRIMARY KEY (tenant_id, attempt, step)
);

-- Per-tenant secrets sealed by the SecretSealer (master key): e.g. the tenant database role's password.
CREATE TABLE tenant_secrets (
    tenant_id  text        NOT NULL REFERENCES tenants (tenant_id),
    name       text        NOT NULL CONSTRAINT tenant_secrets_name_format CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    sealed     bytea       NOT NULL CONSTRAINT tenant_secrets_sealed_not_empty CHECK (length(sealed) > 0),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- Admin reasons as free text, kept out of the audit chain (events carry reason_sha256 only, spec/06 §6.2); deletable.
CREATE TABLE tenant_admin_notes (
    note_id       uuid        PRIMARY KEY,
    tenant_id     text        NOT NULL REFERENCES tenants (tenant_id),
    action        text        NOT NULL,
    reason        text        NOT NULL CONSTRAINT tenant_admin_notes_reason_length CHECK (length(reason) BETWEEN 1 AND 2000),
    reason_sha256 text        NOT NULL CONSTRAINT tenant_admin_notes_reason_sha256_hex CHECK (reason_sha256 ~ '^[0-9a-f]{64}$'),
    actor         text        NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX tenant_admin_notes_tenant ON tenant_admin_notes (tenant_id, reason_sha256);

-- When the application connects as frostbyte_app (V3), it needs these tables too.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frostbyte_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_provisioning_steps, tenant_secrets, tenant_admin_notes
            TO frostbyte_app;
    END IF;
END
$$;
