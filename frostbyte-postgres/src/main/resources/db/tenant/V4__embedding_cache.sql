-- The embedding cache (spec/04 §4.2): the embed stage looks up vectors already stored for the same chunk text
-- (text_sha256) made by the same model and version, and skips the model call on a hit.
CREATE INDEX chunks_embedding_cache ON chunks (text_sha256, embed_model, embed_version) WHERE vector IS NOT NULL;
