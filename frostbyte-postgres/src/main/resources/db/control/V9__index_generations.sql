-- Control database, version 9: the generations of every tenant's vector index (spec/04 §4.5). A tenant has at most
-- one current and at most one building generation; a rebuild writes generation n+1 while queries read n, then
-- switches in one transaction (n retired, n+1 current).

CREATE TABLE index_generations (
    tenant_id      text        NOT NULL,
    generation     integer     NOT NULL CONSTRAINT index_generations_generation_range
                                   CHECK (generation BETWEEN 1 AND 1000000),
    profile        text        NOT NULL,
    embed_model    text        NOT NULL,
    embed_version  text        NOT NULL,
    dimensions     integer     NOT NULL CONSTRAINT index_generations_dimensions_positive CHECK (dimensions >= 1),
    analyzer       text        NOT NULL,
    status         text        NOT NULL
                   CONSTRAINT index_generations_status_known CHECK (status IN ('building', 'current', 'retired', 'failed')),
    chunks_total   bigint      NOT NULL DEFAULT 0,
    chunks_done    bigint      NOT NULL DEFAULT 0,
    error_code     text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    switched_at    timestamptz,
    retired_at     timestamptz,
    PRIMARY KEY (tenant_id, generation)
);

CREATE UNIQUE INDEX index_generations_one_current ON index_generations (tenant_id) WHERE status = 'current';
CREATE UNIQUE INDEX index_generations_one_building ON index_generations (tenant_id) WHERE status = 'building';
