package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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
            + " injection_categories, classification, vector, vector_sha256";

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
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO chunks (" + CHUNK_COLUMNS
                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chunk_id) DO NOTHING")) {
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
                    insert.setString(i, null);
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
     * confidence 1.0, status {@code final}; the chunks with vectors are returned for the index payload update.
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
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE chunks SET classification = ? WHERE doc_id = ?")) {
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
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE chunks SET vector = ?, vector_sha256 = ?, embed_model = ?, embed_version = ?,
                           embed_dimensions = ?, truncated = ?
                    WHERE chunk_id = ? AND doc_id = ?
                    """)) {
                for (Map.Entry<String, float[]> entry : vectors.entrySet()) {
                    update.setBytes(1, bytes(entry.getValue()));
                    update.setString(2, sha256s.get(entry.getKey()));
                    update.setString(3, model);
                    update.setString(4, version);
                    update.setInt(5, dimension);
                    update.setBoolean(6, truncated.getOrDefault(entry.getKey(), false));
                    update.setString(7, entry.getKey());
                    update.setString(8, docId);
                    update.addBatch();
                }
                update.executeBatch();
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
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT DISTINCT ON (text_sha256) text_sha256, vector, coalesce(truncated, false) FROM chunks
                    WHERE text_sha256 = ANY (?) AND embed_model = ? AND embed_version = ? AND vector IS NOT NULL
                    ORDER BY text_sha256, chunk_id
                    """)) {
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
     * An indexed, non-quarantined chunk with its enrichment and embedding details (spec/08 {@code GET .../chunk});
     * empty for a quarantined, unindexed or unknown chunk.
     */
    public Optional<Map<String, Object>> chunk(TenantId tenantId, String chunkId) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT c.chunk_id, c.doc_id, c.text, c.text_sha256, c.page, c.page_end, c.start_char,"
                            + " c.end_char, c.element_type, c.section_title, c.status, c.pii_types, c.pii_action,"
                            + " c.injection_score, c.injection_categories, c.classification, c.embed_model,"
                            + " c.embed_version, c.embed_dimensions, c.vector_sha256, c.truncated, c.index_version,"
                            + " c.indexed_at, d.original_filename, d.raw_sha256 AS source_sha256, d.ingested_at"
                            + " FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
                            + " WHERE c.chunk_id = ? AND c.status <> 'quarantined' AND c.indexed_at IS NOT NULL")) {
                select.setString(1, chunkId);
                List<Map<String, Object>> rows = maps(select);
                return rows.isEmpty() ? Optional.<Map<String, Object>>empty() : Optional.of(rows.getFirst());
            }
        });
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
                        Optional.ofNullable(rows.getString("vector_sha256")).map(String::trim)));
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
