-- The rest of the enriched chunk (spec/03 §3.6) on each chunk row, so GET /query/{t}/chunk/{chunk_id} (spec/08) is one
-- row read: structure fields, the per-chunk gate results, the classification as stamped when the chunk was written
-- (a review resolution updates it), the tenant configuration version the policy job used (POL-2) and the lineage.
-- ingested_at stays on the document row (receipt commit time) and is joined in.
ALTER TABLE chunks
    ADD COLUMN section_path              jsonb   NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN heading_level             integer NOT NULL DEFAULT 0 CHECK (heading_level BETWEEN 0 AND 6),
    ADD COLUMN header_repeated           boolean NOT NULL DEFAULT false,
    ADD COLUMN oversize                  boolean NOT NULL DEFAULT false,
    ADD COLUMN pii_scan_result           text    NOT NULL DEFAULT 'clean'
        CHECK (pii_scan_result IN ('clean', 'pii_found', 'redacted', 'blocked')),
    ADD COLUMN injection_action          text    NOT NULL DEFAULT 'pass'
        CHECK (injection_action IN ('pass', 'flag', 'quarantine')),
    ADD COLUMN classification_confidence text,
    ADD COLUMN classification_status     text,
    ADD COLUMN classifier_version        text,
    ADD COLUMN human_override            boolean NOT NULL DEFAULT false,
    ADD COLUMN config_version            integer,
    -- {raw_sha256, parser_version, chunker_version, chunker_params{max, new_after, combine_under, overlap},
    --  policy_version, config_version}, written as canonical JSON
    ADD COLUMN lineage                   jsonb;
