-- Control database, version 3: the audit plane (spec/06) and the application role.
--
-- audit_events and audit_checkpoints are append-only (AUD-3): owned by the NOLOGIN role frostbyte_audit_owner,
-- INSERT and SELECT only for frostbyte_app, and triggers reject UPDATE, DELETE and TRUNCATE for everyone (a superuser
-- has to disable them first, which verification then detects through the hashes and signed checkpoints).
-- audit_chain_heads holds one row per chain; appends lock it (AUD-2).
--
-- Roles are cluster-wide and shared by every database on the server, so their creation is idempotent. The migrating
-- user needs either superuser, or CREATEROLE (PostgreSQL 16: it then administers the roles it creates), or the two
-- roles created beforehand by an operator and granted to it.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frostbyte_audit_owner') THEN
        BEGIN
            CREATE ROLE frostbyte_audit_owner NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database's migration created it concurrently
        END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frostbyte_app') THEN
        BEGIN
            CREATE ROLE frostbyte_app NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    -- the migrating user hands the audit tables to frostbyte_audit_owner and its pool sets role frostbyte_app
    IF NOT pg_has_role(current_user, 'frostbyte_audit_owner', 'USAGE') THEN
        EXECUTE format('GRANT frostbyte_audit_owner TO %I', current_user);
    END IF;
    IF NOT pg_has_role(current_user, 'frostbyte_app', 'USAGE') THEN
        EXECUTE format('GRANT frostbyte_app TO %I', current_user);
    END IF;
    -- a new owner needs CREATE on the schema (superusers skip the check)
    IF NOT has_schema_privilege('frostbyte_audit_owner', current_schema(), 'CREATE') THEN
        EXECUTE format('GRANT CREATE ON SCHEMA %I TO frostbyte_audit_owner', current_schema());
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO frostbyte_app', current_schema());
END
$$;

CREATE TABLE audit_events (
    event_id          uuid        PRIMARY KEY,
    tenant_id         text        NOT NULL,
    seq               bigint      NOT NULL CONSTRAINT audit_events_seq_positive CHECK (seq >= 1),
    event_type        text        NOT NULL,
    "timestamp"       timestamptz NOT NULL
                      CONSTRAINT audit_events_timestamp_millis CHECK (date_trunc('milliseconds', "timestamp") = "timestamp"),
    actor             text        NOT NULL,
    resource_type     text        NOT NULL,
    resource_id       text        NOT NULL,
    previous_event_id uuid,
    details           jsonb       NOT NULL CONSTRAINT audit_events_details_object CHECK (jsonb_typeof(details) = 'object'),
    prev_hash         char(64)    NOT NULL CONSTRAINT audit_events_prev_hash_hex CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    event_hash        char(64)    NOT NULL CONSTRAINT audit_events_event_hash_hex CHECK (event_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT audit_events_tenant_seq UNIQUE (tenant_id, seq)
);

-- Listing by date, by resource (also the latest provenance event of a resource) and by type.
CREATE INDEX audit_events_tenant_timestamp ON audit_events (tenant_id, "timestamp");
CREATE INDEX audit_events_tenant_resource ON audit_events (tenant_id, resource_id, seq);
CREATE INDEX audit_events_tenant_type ON audit_events (tenant_id, event_type, seq);
-- Following provenance links forward (the next event of a lineage).
CREATE INDEX audit_events_previous_event ON audit_events (previous_event_id) WHERE previous_event_id IS NOT NULL;

CREATE TABLE audit_chain_heads (
    tenant_id  text     PRIMARY KEY,
    seq        bigint   NOT NULL CONSTRAINT audit_chain_heads_seq_not_negative CHECK (seq >= 0),
    event_hash char(64) NOT NULL CONSTRAINT audit_chain_heads_event_hash_hex CHECK (event_hash ~ '^[0-9a-f]{64}$')
);

CREATE TABLE audit_checkpoints (
    tenant_id  text        NOT NULL,
    seq        bigint      NOT NULL CONSTRAINT audit_checkpoints_seq_positive CHECK (seq >= 1),
    event_hash char(64)    NOT NULL CONSTRAINT audit_checkpoints_event_hash_hex CHECK (event_hash ~ '^[0-9a-f]{64}$'),
    time       timestamptz NOT NULL,
    key_id     text        NOT NULL,
    -- base64 Ed25519 signature over JCS {"event_hash", "seq", "tenant_id", "time"}
    signature  text        NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

CREATE FUNCTION audit_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = TG_TABLE_NAME || ' is append-only';
END
$$;

CREATE TRIGGER audit_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoints_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoints_no_truncate
    BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

ALTER TABLE audit_events OWNER TO frostbyte_audit_owner;
ALTER TABLE audit_checkpoints OWNER TO frostbyte_audit_owner;
ALTER TABLE audit_chain_heads OWNER TO frostbyte_audit_owner;
REVOKE ALL ON audit_events, audit_checkpoints, audit_chain_heads FROM PUBLIC;
GRANT SELECT, INSERT ON audit_events, audit_checkpoints TO frostbyte_app;
GRANT SELECT, INSERT, UPDATE ON audit_chain_heads TO frostbyte_app;

-- Every other control table, present and future (tables the migrating user creates in later migrations).
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, tenant_keysets, jobs, dead_letters, rate_limit_buckets TO frostbyte_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO frostbyte_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO frostbyte_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO frostbyte_app;
