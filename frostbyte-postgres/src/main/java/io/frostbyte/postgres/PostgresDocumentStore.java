package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the pipeline stages write to a tenant's own database (spec/02–04): parse results on the document row, the
 * enriched chunk set (replaced as a whole on a rerun, so stages stay idempotent), vectors between the embed and the
 * index stage, and the index confirmation. Every call names its tenant and runs on that tenant's pool only.
 *
 * <p>Thread-safe.
 */
public final class PostgresDocumentStore {
    private static final String CHUNK_COLUMNS = "chunk_id, doc_id, position, page, page_end, start_char, end_char,"
            + " element_type, section_title, text, text_sha256, status, pii_types, pii_action, injection_score,"
            + " injection_categories, classification, vector, vector_sha256, section_path, heading_level,"
            + " header_repeated, oversize, pii_scan_result, injection_action, classification_confidence,"
            + " classification_status, classifier_version, human_override, config_version, lineage";
    private static final String CHUNK_VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TenantDatabases databases;

    public PostgresDocumentStore(TenantDatabases databases) {
        this.databases = requireNonNull(databases, "databases is null");
    }

    /** Records a successful parse. */
    public void parsed(TenantId tenantId, String docId, String structuredSha256, int pageCount, Instant at) {
        update(
                tenantId,
                "UPDATE documents SET structured_sha256 = ?, page_count = ?, parsed_at = ?, status = 'parsed',"
                        + " updated_at = ? WHERE doc_id = ?",
                structuredSha256,
                pageCount,
                at,
                at,
                docId);
    }

    /** Sets the document's status ({@code parse_failed}, {@code quarantined}, {@code indexed}, …). */
    public void status(TenantId tenantId, String docId, String status, Instant at) {
        update(tenantId, "UPDATE documents SET status = ?, updated_at = ? WHERE doc_id = ?", status, at, docId);
    }

    /** Replaces the document's chunk set and records the policy results, in one tenant-database transaction. */
    public void replaceChunks(
            TenantId tenantId,
            String docId,
            List<ChunkRow> chunks,
            Optional<String> classification,
            Optional<String> confidence,
            Optional<String> classificationStatus,
            Optional<String> classifierVersion,
            String piiTypes,
            String status,
            Instant at) {
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM chunks WHERE doc_id = ?")) {
                delete.setString(1, docId);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO chunks (" + CHUNK_COLUMNS
                    + ") VALUES (" + CHUNK_VALUES + ") ON CONFLICT (chunk_id) DO NOTHING")) {
                for (ChunkRow chunk : chunks) {
                    int i = 1;
                    insert.setString(i++, chunk.chunkId());
                    insert.setString(i++, docId);
                    insert.setInt(i++, chunk.position());
                    insert.setInt(i++, chunk.page());
                    insert.setInt(i++, chunk.pageEnd());
                    insert.setInt(i++, chunk.startChar());
                    insert.setInt(i++, chunk.endChar());
                    insert.setString(i++, chunk.elementType());
                    insert.setString(i++, chunk.sectionTitle().orElse(null));
                    insert.setString(i++, chunk.text());
                    insert.setString(i++, chunk.textSha256());
                    insert.setString(i++, chunk.status());
                    insert.setString(i++, chunk.piiTypes());
                    insert.setString(i++, chunk.piiAction());
                    insert.setString(i++, chunk.injectionScore());
                    insert.setString(i++, chunk.injectionCategories());
                    insert.setString(i++, chunk.classification().orElse(null));
                    insert.setBytes(i++, null);
                    insert.setString(i++, null);
                    ChunkRow.Enrichment enrichment = chunk.enrichment();
                    insert.setString(i++, json(enrichment.sectionPath()));
                    insert.setInt(i++, enrichment.headingLevel());
                    insert.setBoolean(i++, enrichment.headerRepeated());
                    insert.setBoolean(i++, enrichment.oversize());
                    insert.setString(i++, enrichment.piiScanResult());
                    insert.setString(i++, enrichment.injectionAction());
                    insert.setString(i++, enrichment.classificationConfidence().orElse(null));
                    insert.setString(i++, enrichment.classificationStatus().orElse(null));
                    insert.setString(i++, enrichment.classifierVersion().orElse(null));
                    insert.setBoolean(i++, enrichment.humanOverride());
                    insert.setObject(i++, enrichment.configVersion().orElse(null), java.sql.Types.INTEGER);
                    insert.setString(i, enrichment.lineageJson().orElse(null));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            long quarantined = chunks.stream().filter(ChunkRow::quarantined).count();
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE documents SET classification = ?, classification_confidence = ?, classification_status = ?,
                           classifier_version = ?, pii_types = ?, chunk_count = ?, chunks_quarantined = ?, status = ?,
                           updated_at = ?
                    WHERE doc_id = ?
                    """)) {
                update.setString(1, classification.orElse(null));
                update.setString(2, confidence.orElse(null));
                update.setString(3, classificationStatus.orElse(null));
                update.setString(4, classifierVersion.orElse(null));
                update.setString(5, piiTypes);
                update.setInt(6, chunks.size());
                update.setInt(7, (int) quarantined);
                update.setString(8, status);
                Jdbc.setInstant(update, 9, at);
                update.setString(10, docId);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Sets a document's label after a human review (spec/03 §3.5): the document and its chunks get the label,
     * confidence 1.0, status {@code final}, {@code human_override} on the chunks; the chunks with vectors are returned for
     * the index payload update.
     */
    public List<ChunkRow> relabel(TenantId tenantId, String docId, String label, Instant at) {
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE documents SET classification = ?, classification_confidence = '1.000',"
                            + " classification_status = 'final', updated_at = ? WHERE doc_id = ?")) {
                update.setString(1, label);
                Jdbc.setInstant(update, 2, at);
                update.setString(3, docId);
                update.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE chunks SET classification = ?, classification_confidence = '1.000',"
                            + " classification_status = 'final', human_override = true WHERE doc_id = ?")) {
                update.setString(1, label);
                update.setString(2, docId);
                update.executeUpdate();
            }
            return null;
        });
        return chunks(tenantId, docId);
    }

    /** The document's chunks in order, with vectors where stored. */
    public List<ChunkRow> chunks(TenantId tenantId, String docId) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + CHUNK_COLUMNS + " FROM chunks WHERE doc_id = ? ORDER BY position")) {
                select.setString(1, docId);
                return rows(select);
            }
        });
    }

    /** The {@code model@version} each of the given chunks was embedded with (chunks without a vector are absent). */
    public Map<String, String> embedModels(TenantId tenantId, List<String> chunkIds) {
        if (chunkIds.isEmpty()) {
            return Map.of();
        }
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT chunk_id, embed_model, embed_version FROM chunks WHERE chunk_id = ANY (?)"
                            + " AND embed_model IS NOT NULL")) {
                select.setArray(1, Jdbc.textArray(connection, chunkIds));
                Map<String, String> models = new java.util.HashMap<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        models.put(rows.getString(1), rows.getString(2) + "@" + rows.getString(3));
                    }
                }
                return models;
            }
        });
    }

    /** Chunks by id (any document of the tenant), in no particular order. */
    public List<ChunkRow> chunksById(TenantId tenantId, List<String> chunkIds) {
        if (chunkIds.isEmpty()) {
            return List.of();
        }
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT " + CHUNK_COLUMNS + " FROM chunks WHERE chunk_id = ANY (?)")) {
                select.setArray(1, Jdbc.textArray(connection, chunkIds));
                return rows(select);
            }
        });
    }

    /** Stores the vectors of the document's chunks (chunk id → vector) with the model that made them. */
    public void vectors(
            TenantId tenantId,
            String docId,
            Map<String, float[]> vectors,
            Map<String, String> sha256s,
            Map<String, Boolean> truncated,
            String model,
            String version,
            int dimension,
            Instant at) {
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            // every chunk's vector in one statement (vectors travel hex-encoded in a text array)
            int n = vectors.size();
            String[] ids = new String[n];
            String[] hex = new String[n];
            String[] hashes = new String[n];
            Boolean[] cut = new Boolean[n];
            int k = 0;
            HexFormat format = HexFormat.of();
            for (Map.Entry<String, float[]> entry : vectors.entrySet()) {
                ids[k] = entry.getKey();
                hex[k] = format.formatHex(bytes(entry.getValue()));
                hashes[k] = sha256s.get(entry.getKey());
                cut[k] = truncated.getOrDefault(entry.getKey(), false);
                k++;
            }
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE chunks c SET vector = decode(u.vector, 'hex'), vector_sha256 = u.vector_sha256,
                           embed_model = ?, embed_version = ?, embed_dimensions = ?, truncated = u.truncated
                    FROM unnest(?::text[], ?::text[], ?::text[], ?::boolean[])
                        AS u(chunk_id, vector, vector_sha256, truncated)
                    WHERE c.chunk_id = u.chunk_id AND c.doc_id = ?
                    """)) {
                update.setString(1, model);
                update.setString(2, version);
                update.setInt(3, dimension);
                update.setArray(4, connection.createArrayOf("text", ids));
                update.setArray(5, connection.createArrayOf("text", hex));
                update.setArray(6, connection.createArrayOf("text", hashes));
                update.setArray(7, connection.createArrayOf("bool", cut));
                update.setString(8, docId);
                update.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE documents SET embedded_at = ?, status = 'embedded', updated_at = ? WHERE doc_id = ?")) {
                Jdbc.setInstant(update, 1, at);
                Jdbc.setInstant(update, 2, at);
                update.setString(3, docId);
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Records that the document's chunks are in the index. */
    public void indexed(TenantId tenantId, String docId, String indexVersion, Instant at) {
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE chunks SET index_version = ?, indexed_at = ? WHERE doc_id = ? AND status <> 'quarantined'")) {
                update.setString(1, indexVersion);
                Jdbc.setInstant(update, 2, at);
                update.setString(3, docId);
                update.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE documents SET indexed_at = ?, status = 'indexed', updated_at = ? WHERE doc_id = ?")) {
                Jdbc.setInstant(update, 1, at);
                Jdbc.setInstant(update, 2, at);
                update.setString(3, docId);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The embedding cache lookup. {@code text_sha256} is {@code char(64)}: the array is cast to that type, because
     * compared with a {@code text[]} the column is cast instead and the lookup scans every chunk of the tenant rather
     * than the {@code chunks_embedding_cache} index.
     */
    static final String CACHE_LOOKUP = """
            SELECT DISTINCT ON (text_sha256) text_sha256, vector, coalesce(truncated, false) FROM chunks
            WHERE text_sha256 = ANY (?::char(64)[]) AND embed_model = ? AND embed_version = ? AND vector IS NOT NULL
            ORDER BY text_sha256, chunk_id
            """;

    /**
     * The embedding cache (spec/04 §4.2): vectors this tenant already stored for chunk texts with these {@code
     * text_sha256} values, made by {@code model} at {@code version}, keyed by text hash. Texts never embedded are
     * absent.
     */
    public Map<String, io.frostbyte.core.embed.Embedding> cachedVectors(
            TenantId tenantId, java.util.Collection<String> textSha256s, String model, String version) {
        if (textSha256s.isEmpty()) {
            return Map.of();
        }
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(CACHE_LOOKUP)) {
                select.setArray(1, Jdbc.textArray(connection, List.copyOf(textSha256s)));
                select.setString(2, model);
                select.setString(3, version);
                Map<String, io.frostbyte.core.embed.Embedding> vectors = new java.util.HashMap<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        vectors.put(
                                rows.getString(1),
                                new io.frostbyte.core.embed.Embedding(floats(rows.getBytes(2)), rows.getBoolean(3)));
                    }
                }
                return vectors;
            }
        });
    }

    /**
     * Undoes {@link #indexed} after a failed verification (spec/04 EMB-5): the document's chunks lose their index
     * version and time and the document goes back to {@code embedded}.
     */
    public void unindexed(TenantId tenantId, String docId, Instant at) {
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE chunks SET index_version = NULL, indexed_at = NULL WHERE doc_id = ?")) {
                update.setString(1, docId);
                update.executeUpdate();
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE documents SET indexed_at = NULL, status = 'embedded', updated_at = ? WHERE doc_id = ?")) {
                Jdbc.setInstant(update, 1, at);
                update.setString(2, docId);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * A document's row as served by {@code GET /query/{t}/document/{doc_id}} (spec/08), with its indexed chunks'
     * positions; empty when the tenant has no such document.
     */
    public Optional<Map<String, Object>> document(TenantId tenantId, String docId) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            Map<String, Object> document;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT doc_id, file_id, receipt_id, batch_id, original_filename, mime_type, size_bytes,"
                            + " raw_sha256 AS sha256, classification, classification_confidence,"
                            + " classification_status, classifier_version, status, page_count, chunk_count,"
                            + " chunks_quarantined, ingested_at, parsed_at, indexed_at, structured_sha256"
                            + " FROM documents WHERE doc_id = ?")) {
                select.setString(1, docId);
                List<Map<String, Object>> rows = maps(select);
                if (rows.isEmpty()) {
                    return Optional.<Map<String, Object>>empty();
                }
                document = rows.getFirst();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT chunk_id, page, start_char, end_char, element_type, section_title FROM chunks"
                            + " WHERE doc_id = ? AND status <> 'quarantined' AND indexed_at IS NOT NULL"
                            + " ORDER BY position")) {
                select.setString(1, docId);
                document.put("chunks", maps(select));
            }
            return Optional.of(document);
        });
    }

    /** One page of the tenant's documents, newest first, with optional filters; and the total count. */
    public Map.Entry<List<Map<String, Object>>, Long> documents(
            TenantId tenantId, Optional<String> classification, Optional<String> batchId, int page, int limit) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            String where = " WHERE (?::text IS NULL OR classification = ?) AND (?::text IS NULL OR batch_id = ?)";
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM documents" + where)) {
                bindFilters(count, classification, batchId);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT doc_id, original_filename, classification, status, chunk_count, ingested_at FROM documents"
                            + where + " ORDER BY ingested_at DESC, doc_id LIMIT ? OFFSET ?")) {
                bindFilters(select, classification, batchId);
                select.setInt(5, limit);
                select.setLong(6, (long) (page - 1) * limit);
                return Map.entry(maps(select), total);
            }
        });
    }

    /**
     * An indexed, non-quarantined chunk as spec/08 {@code GET .../chunk/{chunk_id}} serves it: the enriched chunk of
     * spec/03 §3.6 ({@code offsets}, structure fields, {@code metadata}, {@code ingested_at}, {@code lineage},
     * {@code status}) plus {@code embed_model, embed_version, embed_dimensions, vector_sha256, index_version,
     * indexed_at}; empty for a quarantined, unindexed or unknown chunk. Classification fields fall back to the
     * document row for chunks written before they were stamped on the chunk.
     */
    public Optional<Map<String, Object>> chunk(TenantId tenantId, String chunkId) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT c.chunk_id, c.doc_id, c.text, c.text_sha256, c.page, c.page_end, c.start_char,"
                            + " c.end_char, c.element_type, c.section_title, c.section_path, c.heading_level,"
                            + " c.header_repeated, c.oversize, c.pii_scan_result, c.pii_types, c.pii_action,"
                            + " c.classification,"
                            + " COALESCE(c.classification_confidence, d.classification_confidence) AS confidence,"
                            + " COALESCE(c.classification_status, d.classification_status) AS classification_status,"
                            + " COALESCE(c.classifier_version, d.classifier_version) AS classifier_version,"
                            + " c.human_override, c.injection_score, c.injection_categories, c.injection_action,"
                            + " d.ingested_at, c.lineage, c.embed_model, c.embed_version, c.embed_dimensions,"
                            + " c.vector_sha256, c.index_version, c.indexed_at"
                            + " FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
                            + " WHERE c.chunk_id = ? AND c.status <> 'quarantined' AND c.indexed_at IS NOT NULL")) {
                select.setString(1, chunkId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<Map<String, Object>>empty();
                    }
                    return Optional.of(enrichedChunk(tenantId, rows));
                }
            }
        });
    }

    private static Map<String, Object> enrichedChunk(TenantId tenantId, ResultSet rows) throws SQLException {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("chunk_id", rows.getString("chunk_id"));
        chunk.put("doc_id", rows.getString("doc_id"));
        chunk.put("tenant_id", tenantId.value());
        chunk.put("text", rows.getString("text"));
        chunk.put("text_sha256", rows.getString("text_sha256").trim());
        Map<String, Object> offsets = new LinkedHashMap<>();
        offsets.put("page", rows.getInt("page"));
        offsets.put("page_end", rows.getInt("page_end"));
        offsets.put("start_char", rows.getInt("start_char"));
        offsets.put("end_char", rows.getInt("end_char"));
        chunk.put("offsets", offsets);
        chunk.put("element_type", rows.getString("element_type"));
        chunk.put("section_title", rows.getString("section_title"));
        chunk.put("section_path", strings(rows.getString("section_path")));
        chunk.put("heading_level", rows.getInt("heading_level"));
        chunk.put("header_repeated", rows.getBoolean("header_repeated"));
        chunk.put("oversize", rows.getBoolean("oversize"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("pii_scan_result", rows.getString("pii_scan_result"));
        metadata.put("pii_types_found", list(rows.getString("pii_types")));
        metadata.put("pii_action_taken", rows.getString("pii_action"));
        metadata.put("classification", rows.getString("classification"));
        metadata.put("classification_confidence", number(rows.getString("confidence")));
        metadata.put("classification_status", rows.getString("classification_status"));
        metadata.put("classifier_version", rows.getString("classifier_version"));
        metadata.put("human_override", rows.getBoolean("human_override"));
        metadata.put("injection_score", number(rows.getString("injection_score")));
        metadata.put("injection_patterns_matched", list(rows.getString("injection_categories")));
        metadata.put("injection_action_taken", rows.getString("injection_action"));
        chunk.put("metadata", metadata);
        chunk.put("ingested_at", Jdbc.instant(rows, "ingested_at"));
        String lineage = rows.getString("lineage");
        chunk.put("lineage", lineage == null ? null : tree(lineage));
        chunk.put("status", "indexed");
        chunk.put("embed_model", rows.getString("embed_model"));
        chunk.put("embed_version", rows.getString("embed_version"));
        chunk.put("embed_dimensions", rows.getObject("embed_dimensions", Integer.class));
        String vectorSha = rows.getString("vector_sha256");
        chunk.put("vector_sha256", vectorSha == null ? null : vectorSha.trim());
        chunk.put("index_version", rows.getString("index_version"));
        chunk.put("indexed_at", Jdbc.instant(rows, "indexed_at"));
        return chunk;
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isEmpty() ? List.of() : List.of(commaSeparated.split(","));
    }

    private static Double number(String decimal) {
        return decimal == null ? null : Double.valueOf(decimal);
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass(), e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    private static List<String> strings(String jsonArray) {
        if (jsonArray == null) {
            return List.of();
        }
        try {
            return MAPPER.readValue(jsonArray, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored section path does not parse", e);
        }
    }

    /** jsonb keeps neither key order nor spacing: back to RFC 8785 form, as it was written. */
    private static String canonical(String json) {
        try {
            return new org.erdtman.jcs.JsonCanonicalizer(json).getEncodedString();
        } catch (IOException e) {
            throw new UncheckedIOException("stored lineage does not parse", e);
        }
    }

    private static void bindFilters(
            PreparedStatement statement, Optional<String> classification, Optional<String> batchId)
            throws SQLException {
        statement.setString(1, classification.orElse(null));
        statement.setString(2, classification.orElse(null));
        statement.setString(3, batchId.orElse(null));
        statement.setString(4, batchId.orElse(null));
    }

    // rows as ordered maps keyed by column label; timestamps as Instants, char(n) trimmed, uuids as strings
    private static List<Map<String, Object>> maps(PreparedStatement select) throws SQLException {
        List<Map<String, Object>> result = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            java.sql.ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rows.getObject(i);
                    if (value instanceof java.sql.Timestamp) {
                        value = rows.getObject(i, java.time.OffsetDateTime.class)
                                .toInstant();
                    } else if (value instanceof String text
                            && meta.getColumnTypeName(i).equals("bpchar")) {
                        value = text.trim();
                    } else if (value instanceof java.util.UUID uuid) {
                        value = uuid.toString();
                    }
                    row.put(meta.getColumnLabel(i), value);
                }
                result.add(row);
            }
        }
        return result;
    }

    private void update(TenantId tenantId, String sql, Object... values) {
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    if (values[i] instanceof Instant instant) {
                        Jdbc.setInstant(update, i + 1, instant);
                    } else {
                        update.setObject(i + 1, values[i]);
                    }
                }
                return update.executeUpdate();
            }
        });
    }

    private static List<ChunkRow> rows(PreparedStatement select) throws SQLException {
        List<ChunkRow> chunks = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                byte[] vector = rows.getBytes("vector");
                chunks.add(new ChunkRow(
                        rows.getString("chunk_id"),
                        rows.getString("doc_id"),
                        rows.getInt("position"),
                        rows.getInt("page"),
                        rows.getInt("page_end"),
                        rows.getInt("start_char"),
                        rows.getInt("end_char"),
                        rows.getString("element_type"),
                        Optional.ofNullable(rows.getString("section_title")),
                        rows.getString("text"),
                        rows.getString("text_sha256").trim(),
                        rows.getString("status"),
                        rows.getString("pii_types"),
                        rows.getString("pii_action"),
                        rows.getString("injection_score"),
                        rows.getString("injection_categories"),
                        Optional.ofNullable(rows.getString("classification")),
                        Optional.ofNullable(vector).map(PostgresDocumentStore::floats),
                        Optional.ofNullable(rows.getString("vector_sha256")).map(String::trim),
                        new ChunkRow.Enrichment(
                                strings(rows.getString("section_path")),
                                rows.getInt("heading_level"),
                                rows.getBoolean("header_repeated"),
                                rows.getBoolean("oversize"),
                                rows.getString("pii_scan_result"),
                                rows.getString("injection_action"),
                                Optional.ofNullable(rows.getString("classification_confidence")),
                                Optional.ofNullable(rows.getString("classification_status")),
                                Optional.ofNullable(rows.getString("classifier_version")),
                                rows.getBoolean("human_override"),
                                Optional.ofNullable(rows.getObject("config_version", Integer.class)),
                                Optional.ofNullable(rows.getString("lineage")).map(PostgresDocumentStore::canonical))));
            }
        }
        return chunks;
    }

    private static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    private static float[] floats(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.length / 4];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = buffer.getFloat();
        }
        return vector;
    }
}
