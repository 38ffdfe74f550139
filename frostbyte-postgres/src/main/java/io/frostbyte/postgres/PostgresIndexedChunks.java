package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an index rebuild reads from and writes to a tenant's own database (spec/04 §4.5): the embedded chunks with the
 * hash of their current vector (no text), the text of the chunks it re-embeds, and at the switch the new vectors with
 * the new model and index version. Every call names its tenant and runs on that tenant's pool only.
 *
 * <p>Thread-safe.
 */
public final class PostgresIndexedChunks {
    /**
     * An embedded, not quarantined chunk: its current vector's hash and label (what a rebuild compares to see a
     * change) and whether it is in the index.
     */
    public record ChunkState(
            String chunkId, String docId, String vectorSha256, Optional<String> classification, boolean indexed) {
        public ChunkState {
            requireNonNull(chunkId, "chunkId is null");
            requireNonNull(docId, "docId is null");
            requireNonNull(vectorSha256, "vectorSha256 is null");
            requireNonNull(classification, "classification is null");
        }
    }

    /** What re-embedding and re-indexing a chunk needs. */
    public record ChunkSource(
            String chunkId,
            String docId,
            String text,
            Optional<String> classification,
            int page,
            Instant ingestedAt,
            String vectorSha256) {
        public ChunkSource {
            requireNonNull(chunkId, "chunkId is null");
            requireNonNull(docId, "docId is null");
            requireNonNull(text, "text is null");
            requireNonNull(classification, "classification is null");
            requireNonNull(ingestedAt, "ingestedAt is null");
            requireNonNull(vectorSha256, "vectorSha256 is null");
        }
    }

    /**
     * A chunk's new vector.
     *
     * @param previousSha256 the vector hash the row must still hold; a row changed since is a conflict
     * @param indexed whether the chunk is in the new generation (its {@code index_version} is set) or only embedded
     */
    public record Reembedded(
            String chunkId,
            float[] vector,
            String vectorSha256,
            boolean truncated,
            String previousSha256,
            boolean indexed) {
        public Reembedded {
            requireNonNull(chunkId, "chunkId is null");
            vector = requireNonNull(vector, "vector is null").clone();
            requireNonNull(vectorSha256, "vectorSha256 is null");
            requireNonNull(previousSha256, "previousSha256 is null");
        }
    }

    private final TenantDatabases databases;

    public PostgresIndexedChunks(TenantDatabases databases) {
        this.databases = requireNonNull(databases, "databases is null");
    }

    /** Every embedded chunk that is not quarantined, by document then chunk id. */
    public List<ChunkState> states(TenantId tenantId) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT chunk_id, doc_id, vector_sha256, classification, index_version IS NOT NULL AS indexed"
                            + " FROM chunks"
                            + " WHERE status <> 'quarantined' AND vector IS NOT NULL AND vector_sha256 IS NOT NULL"
                            + " ORDER BY doc_id, chunk_id")) {
                List<ChunkState> states = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        states.add(new ChunkState(
                                rows.getString("chunk_id"),
                                rows.getString("doc_id"),
                                rows.getString("vector_sha256").trim(),
                                Optional.ofNullable(rows.getString("classification")),
                                rows.getBoolean("indexed")));
                    }
                }
                return states;
            }
        });
    }

    /** The chunks' text and index payload, in no particular order; ids that are gone are skipped. */
    public List<ChunkSource> sources(TenantId tenantId, List<String> chunkIds) {
        if (chunkIds.isEmpty()) {
            return List.of();
        }
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT c.chunk_id, c.doc_id, c.text, c.classification, c.page, d.ingested_at, c.vector_sha256"
                            + " FROM chunks c JOIN documents d ON d.doc_id = c.doc_id"
                            + " WHERE c.chunk_id = ANY (?) AND c.vector_sha256 IS NOT NULL")) {
                select.setArray(1, Jdbc.textArray(connection, chunkIds));
                List<ChunkSource> sources = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sources.add(new ChunkSource(
                                rows.getString("chunk_id"),
                                rows.getString("doc_id"),
                                rows.getString("text"),
                                Optional.ofNullable(rows.getString("classification")),
                                rows.getInt("page"),
                                Jdbc.instant(rows, "ingested_at"),
                                rows.getString("vector_sha256").trim()));
                    }
                }
                return sources;
            }
        });
    }

    /**
     * Writes the new vectors with their model in one transaction; indexed chunks also get {@code indexVersion}.
     *
     * @throws FrostbyteException {@code RESOURCE_NOT_READY} when a row's vector changed since it was re-embedded
     *     (nothing is written then)
     */
    public void switchVectors(
            TenantId tenantId,
            List<Reembedded> chunks,
            String model,
            String version,
            int dimensions,
            String indexVersion,
            Instant at) {
        requireNonNull(model, "model is null");
        requireNonNull(version, "version is null");
        requireNonNull(indexVersion, "indexVersion is null");
        if (chunks.isEmpty()) {
            return;
        }
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE chunks SET vector = ?, vector_sha256 = ?, embed_model = ?, embed_version = ?,
                           embed_dimensions = ?, truncated = ?,
                           index_version = CASE WHEN ? THEN ? ELSE index_version END,
                           indexed_at = CASE WHEN ? THEN ? ELSE indexed_at END
                    WHERE chunk_id = ? AND vector_sha256 = ? AND status <> 'quarantined'
                    """)) {
                for (Reembedded chunk : chunks) {
                    update.setBytes(1, bytes(chunk.vector()));
                    update.setString(2, chunk.vectorSha256());
                    update.setString(3, model);
                    update.setString(4, version);
                    update.setInt(5, dimensions);
                    update.setBoolean(6, chunk.truncated());
                    update.setBoolean(7, chunk.indexed());
                    update.setString(8, indexVersion);
                    update.setBoolean(9, chunk.indexed());
                    Jdbc.setInstant(update, 10, at);
                    update.setString(11, chunk.chunkId());
                    update.setString(12, chunk.previousSha256());
                    update.addBatch();
                }
                int[] counts = update.executeBatch();
                for (int count : counts) {
                    if (count != 1) {
                        throw new FrostbyteException(
                                io.frostbyte.core.ErrorCode.RESOURCE_NOT_READY,
                                "a chunk of " + tenantId + " changed while its index was rebuilt");
                    }
                }
            }
            return null;
        });
    }

    /** Chunks (not quarantined) recorded in index version {@code indexVersion}. */
    public long countIndexed(TenantId tenantId, String indexVersion) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT count(*) FROM chunks WHERE index_version = ? AND status <> 'quarantined'")) {
                count.setString(1, indexVersion);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }
}
