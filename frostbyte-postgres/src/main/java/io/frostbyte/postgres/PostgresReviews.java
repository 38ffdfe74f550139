package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The classification review queue in the control database (spec/03 §3.5): at most one pending item per document,
 * created by the policy stage in its transaction, resolved once by a tenant admin. Every statement has a {@code
 * tenant_id} predicate. The optional note is free text and stays here, never in the audit log.
 *
 * <p>Thread-safe.
 */
public final class PostgresReviews {
    private static final String COLUMNS = "review_id, tenant_id, doc_id, status, current_label, candidates,"
            + " classifier_version, created_at, resolved_label, resolved_by, resolved_at";

    private final DataSource control;

    public PostgresReviews(DataSource control) {
        this.control = requireNonNull(control, "control is null");
    }

    /**
     * Opens a review for the document in the caller's transaction, unless one is pending already.
     *
     * @param candidates the candidates as JSON (labels and confidences only)
     */
    public void open(
            Connection transaction,
            UUID reviewId,
            TenantId tenantId,
            String docId,
            String currentLabel,
            String candidates,
            String classifierVersion,
            Instant at) {
        Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO reviews (review_id, tenant_id, doc_id, status, current_label, candidates,
                                         classifier_version, created_at)
                    VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)
                    ON CONFLICT (tenant_id, doc_id) WHERE status = 'pending' DO NOTHING
                    """)) {
                insert.setObject(1, reviewId);
                insert.setString(2, tenantId.value());
                insert.setString(3, docId);
                insert.setString(4, currentLabel);
                insert.setString(5, candidates);
                insert.setString(6, classifierVersion);
                Jdbc.setInstant(insert, 7, at);
                return insert.executeUpdate();
            }
        });
    }

    /** One page of the tenant's reviews with {@code status}, oldest first; and the total count. */
    public Map.Entry<List<Map<String, Object>>, Long> list(TenantId tenantId, String status, int page, int limit) {
        return Jdbc.inTransaction(control, true, connection -> {
            long total;
            try (PreparedStatement count =
                    connection.prepareStatement("SELECT count(*) FROM reviews WHERE tenant_id = ? AND status = ?")) {
                count.setString(1, tenantId.value());
                count.setString(2, status);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM reviews WHERE tenant_id = ? AND status = ? ORDER BY created_at, review_id"
                    + " LIMIT ? OFFSET ?")) {
                select.setString(1, tenantId.value());
                select.setString(2, status);
                select.setInt(3, limit);
                select.setLong(4, (long) (page - 1) * limit);
                List<Map<String, Object>> reviews = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        reviews.add(review(rows));
                    }
                }
                return Map.entry(reviews, total);
            }
        });
    }

    /** A review of the tenant, locked for update in the caller's transaction. */
    public Optional<Map<String, Object>> lock(Connection transaction, TenantId tenantId, UUID reviewId) {
        return Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM reviews WHERE tenant_id = ? AND review_id = ? FOR UPDATE")) {
                select.setString(1, tenantId.value());
                select.setObject(2, reviewId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(review(rows)) : Optional.<Map<String, Object>>empty();
                }
            }
        });
    }

    /** Marks a pending review resolved in the caller's transaction. */
    public void resolve(
            Connection transaction,
            TenantId tenantId,
            UUID reviewId,
            String label,
            String resolvedBy,
            Optional<String> note,
            Instant at) {
        Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE reviews SET status = 'resolved', resolved_label = ?, resolved_by = ?, resolved_at = ?,
                           note = ?
                    WHERE tenant_id = ? AND review_id = ? AND status = 'pending'
                    """)) {
                update.setString(1, label);
                update.setString(2, resolvedBy);
                Jdbc.setInstant(update, 3, at);
                update.setString(4, note.orElse(null));
                update.setString(5, tenantId.value());
                update.setObject(6, reviewId);
                return update.executeUpdate();
            }
        });
    }

    private static Map<String, Object> review(ResultSet rows) throws SQLException {
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("review_id", rows.getObject("review_id", UUID.class).toString());
        review.put("tenant_id", rows.getString("tenant_id"));
        review.put("doc_id", rows.getString("doc_id"));
        review.put("status", rows.getString("status"));
        review.put("current_label", rows.getString("current_label"));
        review.put("candidates", rows.getString("candidates"));
        review.put("classifier_version", rows.getString("classifier_version"));
        review.put("created_at", Jdbc.instant(rows, "created_at"));
        review.put("resolved_label", rows.getString("resolved_label"));
        review.put("resolved_by", rows.getString("resolved_by"));
        review.put("resolved_at", Jdbc.optionalInstant(rows, "resolved_at").orElse(null));
        return review;
    }
}
