package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code documents} table of each tenant's own database, reached only through that tenant's pool. Intake claims
 * a doc_id with {@code ON CONFLICT DO NOTHING} just before its commit, which decides which file owns the content
 * (spec/01 INT-8); a failed commit releases the claim again.
 *
 * <p>Thread-safe.
 */
public final class PostgresTenantDocuments {
    private final TenantDatabases databases;

    public PostgresTenantDocuments(TenantDatabases databases) {
        this.databases = requireNonNull(databases, "databases is null");
    }

    /** A document row: the file that brought the content and where its raw object lives. */
    public record DocumentRow(
            String docId,
            String rawSha256,
            String batchId,
            String fileId,
            UUID receiptId,
            String originalFilename,
            String mimeType,
            long sizeBytes,
            String storagePath,
            int kekVersion,
            String status,
            Instant ingestedAt) {
        public DocumentRow {
            requireNonNull(docId, "docId is null");
            requireNonNull(rawSha256, "rawSha256 is null");
            requireNonNull(batchId, "batchId is null");
            requireNonNull(fileId, "fileId is null");
            requireNonNull(receiptId, "receiptId is null");
            requireNonNull(originalFilename, "originalFilename is null");
            requireNonNull(mimeType, "mimeType is null");
            requireNonNull(storagePath, "storagePath is null");
            requireNonNull(status, "status is null");
            requireNonNull(ingestedAt, "ingestedAt is null");
        }
    }

    /**
     * Claims the document's id for this file.
     *
     * @return empty when this call inserted the row; otherwise the row that already owns the doc_id
     */
    public Optional<DocumentRow> claim(TenantId tenantId, DocumentRow row) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO documents (doc_id, raw_sha256, batch_id, file_id, receipt_id, original_filename,
                                           mime_type, size_bytes, storage_path, kek_version, status, ingested_at,
                                           updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (doc_id) DO NOTHING
                    """)) {
                insert.setString(1, row.docId());
                insert.setString(2, row.rawSha256());
                insert.setString(3, row.batchId());
                insert.setString(4, row.fileId());
                insert.setObject(5, row.receiptId());
                insert.setString(6, row.originalFilename());
                insert.setString(7, row.mimeType());
                insert.setLong(8, row.sizeBytes());
                insert.setString(9, row.storagePath());
                insert.setInt(10, row.kekVersion());
                insert.setString(11, row.status());
                Jdbc.setInstant(insert, 12, row.ingestedAt());
                Jdbc.setInstant(insert, 13, row.ingestedAt());
                if (insert.executeUpdate() == 1) {
                    return Optional.empty();
                }
            }
            return Optional.of(find(connection, row.docId()).orElseThrow());
        });
    }

    /** Releases a claim this file made (after its batch failed to commit). Only the claiming receipt's row goes. */
    public void release(TenantId tenantId, String docId, UUID receiptId) {
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM documents WHERE doc_id = ? AND receipt_id = ?")) {
                delete.setString(1, docId);
                delete.setObject(2, receiptId);
                return delete.executeUpdate();
            }
        });
    }

    public Optional<DocumentRow> find(TenantId tenantId, String docId) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> find(connection, docId));
    }

    /** Sets the document's status ({@code ingested}, {@code parsed}, {@code indexed}, {@code failed}, …). */
    public void setStatus(TenantId tenantId, String docId, String status, Instant at) {
        Jdbc.inTransaction(databases.dataSource(tenantId), connection -> {
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE documents SET status = ?, updated_at = ? WHERE doc_id = ?")) {
                update.setString(1, status);
                Jdbc.setInstant(update, 2, at);
                update.setString(3, docId);
                return update.executeUpdate();
            }
        });
    }

    private static Optional<DocumentRow> find(java.sql.Connection connection, String docId)
            throws java.sql.SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT doc_id, raw_sha256, batch_id, file_id, receipt_id, original_filename, mime_type, size_bytes,
                       storage_path, kek_version, status, ingested_at
                FROM documents WHERE doc_id = ?
                """)) {
            select.setString(1, docId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DocumentRow(
                        rows.getString(1),
                        rows.getString(2).trim(),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getObject(5, UUID.class),
                        rows.getString(6),
                        rows.getString(7),
                        rows.getLong(8),
                        rows.getString(9),
                        rows.getInt(10),
                        rows.getString(11),
                        Jdbc.instant(rows, "ingested_at")));
            }
        }
    }
}
