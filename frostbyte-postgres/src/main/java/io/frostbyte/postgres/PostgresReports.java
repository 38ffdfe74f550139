package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Acceptance reports in the control database (spec/11 §11.2): which terminal batches still lack the report their
 * batch row names, and the stored reports by batch and version. Every query has a {@code tenant_id} predicate except
 * {@link #pending}, which the report worker uses to find work across tenants.
 *
 * <p>Thread-safe.
 */
public final class PostgresReports {
    private final DataSource control;

    public PostgresReports(DataSource control) {
        this.control = requireNonNull(control, "control is null");
    }

    /** A report to build: the batch's current report id and version. */
    public record Pending(TenantId tenantId, String batchId, UUID reportId, int version) {}

    /** A stored report: its canonical JSON and sha256. */
    public record StoredReport(UUID reportId, int version, String json, String sha256, Instant generatedAt) {}

    /** Terminal batches whose current report has not been built yet, oldest first. */
    public List<Pending> pending(int limit) {
        return Jdbc.inTransaction(control, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT b.tenant_id, b.batch_id, b.report_id, b.report_version FROM batches b
                    WHERE b.report_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM batch_reports r WHERE r.report_id = b.report_id)
                    ORDER BY b.completed_at NULLS LAST LIMIT ?
                    """)) {
                select.setInt(1, limit);
                List<Pending> pending = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        pending.add(new Pending(
                                TenantId.of(rows.getString(1)),
                                rows.getString(2),
                                rows.getObject(3, UUID.class),
                                rows.getInt(4)));
                    }
                }
                return pending;
            }
        });
    }

    /**
     * Stores a report in the caller's transaction.
     *
     * @return false when it was stored before (the report id exists): nothing changed
     */
    public boolean insert(Connection transaction, Pending pending, String json, String sha256, Instant at) {
        return Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO batch_reports (report_id, tenant_id, batch_id, version, report, report_sha256,
                                               generated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)) {
                insert.setObject(1, pending.reportId());
                insert.setString(2, pending.tenantId().value());
                insert.setString(3, pending.batchId());
                insert.setInt(4, pending.version());
                insert.setString(5, json);
                insert.setString(6, sha256);
                Jdbc.setInstant(insert, 7, at);
                return insert.executeUpdate() == 1;
            }
        });
    }

    /** The batch's report of {@code version} (the latest when empty). */
    public Optional<StoredReport> find(TenantId tenantId, String batchId, Optional<Integer> version) {
        return Jdbc.inTransaction(control, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT report_id, version, report, report_sha256, generated_at FROM batch_reports"
                            + " WHERE tenant_id = ? AND batch_id = ? AND (?::int IS NULL OR version = ?)"
                            + " ORDER BY version DESC LIMIT 1")) {
                select.setString(1, tenantId.value());
                select.setString(2, batchId);
                select.setObject(3, version.orElse(null), java.sql.Types.INTEGER);
                select.setObject(4, version.orElse(null), java.sql.Types.INTEGER);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<StoredReport>empty();
                    }
                    return Optional.of(new StoredReport(
                            rows.getObject(1, UUID.class),
                            rows.getInt(2),
                            rows.getString(3),
                            rows.getString(4).trim(),
                            Jdbc.instant(rows, "generated_at")));
                }
            }
        });
    }
}
