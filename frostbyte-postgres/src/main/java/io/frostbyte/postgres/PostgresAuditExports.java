package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code audit_exports} table: requests, progress and results of asynchronous audit exports. Every read is
 * tenant-scoped: another tenant's export id is not found. Thread-safe.
 */
public final class PostgresAuditExports {
    /** How long a completed export can be downloaded (spec/06 §6.6). */
    public static final Duration LINK_LIFETIME = Duration.ofHours(24);

    private final DataSource dataSource;
    private final Clock clock;

    public PostgresAuditExports(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Records a new pending export inside the caller's transaction (with its job and audit event). */
    public AuditExportRecord create(
            Connection transaction,
            UUID exportId,
            TenantId tenantId,
            String format,
            LocalDate startDate,
            LocalDate endDate,
            Optional<List<String>> eventTypes,
            boolean includeDetails,
            long estimatedEvents) {
        Instant now = clock.instant();
        try (PreparedStatement insert = transaction.prepareStatement("""
                INSERT INTO audit_exports (export_id, tenant_id, status, format, start_date, end_date, event_types,
                                           include_details, estimated_events, created_at)
                VALUES (?, ?, 'pending', ?, ?, ?, ?::jsonb, ?, ?, ?)
                """)) {
            insert.setObject(1, exportId);
            insert.setString(2, tenantId.value());
            insert.setString(3, format);
            insert.setObject(4, startDate);
            insert.setObject(5, endDate);
            insert.setString(6, eventTypes.map(PostgresAuditExports::jsonArray).orElse(null));
            insert.setBoolean(7, includeDetails);
            insert.setLong(8, estimatedEvents);
            insert.setTimestamp(9, Timestamp.from(now));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "audit export could not be recorded", e);
        }
        return find(transaction, tenantId, exportId).orElseThrow();
    }

    public Optional<AuditExportRecord> find(TenantId tenantId, UUID exportId) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, tenantId, exportId);
        } catch (SQLException e) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "audit exports unavailable", e);
        }
    }

    private Optional<AuditExportRecord> find(Connection connection, TenantId tenantId, UUID exportId) {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT * FROM audit_exports WHERE tenant_id = ? AND export_id = ?")) {
            select.setString(1, tenantId.value());
            select.setObject(2, exportId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "audit exports unavailable", e);
        }
    }

    /** pending → running; false when it is not pending any more (another worker took it or it finished). */
    public boolean markRunning(TenantId tenantId, UUID exportId) {
        return update(
                "UPDATE audit_exports SET status = 'running' WHERE tenant_id = ? AND export_id = ? AND status IN ('pending', 'running', 'failed')",
                tenantId,
                exportId);
    }

    /** running → completed with the archive's facts; the link expires {@link #LINK_LIFETIME} later. */
    public void complete(
            Connection transaction,
            TenantId tenantId,
            UUID exportId,
            long eventCount,
            String fileSha256,
            long sizeBytes,
            String path) {
        Instant now = clock.instant();
        try (PreparedStatement update = transaction.prepareStatement("""
                UPDATE audit_exports SET status = 'completed', event_count = ?, file_sha256 = ?, file_size_bytes = ?,
                       file_path = ?, completed_at = ?, expires_at = ?
                WHERE tenant_id = ? AND export_id = ?
                """)) {
            update.setLong(1, eventCount);
            update.setString(2, fileSha256);
            update.setLong(3, sizeBytes);
            update.setString(4, path);
            update.setTimestamp(5, Timestamp.from(now));
            update.setTimestamp(6, Timestamp.from(now.plus(LINK_LIFETIME)));
            update.setString(7, tenantId.value());
            update.setObject(8, exportId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "audit export could not be completed", e);
        }
    }

    public void fail(TenantId tenantId, UUID exportId, ErrorCode code) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE audit_exports SET status = 'failed', error_code = ?, completed_at = ? WHERE tenant_id = ? AND export_id = ?")) {
            update.setString(1, code.name());
            update.setTimestamp(2, Timestamp.from(clock.instant()));
            update.setString(3, tenantId.value());
            update.setObject(4, exportId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "audit export could not be marked failed", e);
        }
    }

    private boolean update(String sql, TenantId tenantId, UUID exportId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, tenantId.value());
            update.setObject(2, exportId);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "audit exports unavailable", e);
        }
    }

    private static AuditExportRecord read(ResultSet rows) throws SQLException {
        String types = rows.getString("event_types");
        long eventCount = rows.getLong("event_count");
        boolean eventCountNull = rows.wasNull();
        long size = rows.getLong("file_size_bytes");
        boolean sizeNull = rows.wasNull();
        return new AuditExportRecord(
                rows.getObject("export_id", UUID.class),
                TenantId.of(rows.getString("tenant_id")),
                rows.getString("status"),
                rows.getString("format"),
                rows.getObject("start_date", LocalDate.class),
                rows.getObject("end_date", LocalDate.class),
                Optional.ofNullable(types).map(PostgresAuditExports::parseArray),
                rows.getBoolean("include_details"),
                rows.getLong("estimated_events"),
                eventCountNull ? Optional.empty() : Optional.of(eventCount),
                Optional.ofNullable(rows.getString("file_sha256")),
                sizeNull ? Optional.empty() : Optional.of(size),
                Optional.ofNullable(rows.getString("file_path")),
                Optional.ofNullable(rows.getString("error_code")),
                rows.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(rows.getTimestamp("completed_at")).map(Timestamp::toInstant),
                Optional.ofNullable(rows.getTimestamp("expires_at")).map(Timestamp::toInstant));
    }

    /** Event type names are [A-Z_] only, validated by the caller; no escaping needed beyond quoting. */
    private static String jsonArray(List<String> items) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            if (!item.matches("[A-Z_]{1,64}")) {
                throw new IllegalArgumentException("event type names are [A-Z_]: " + item);
            }
            json.append(i == 0 ? "" : ",").append('"').append(item).append('"');
        }
        return json.append(']').toString();
    }

    private static List<String> parseArray(String json) {
        List<String> items = new ArrayList<>();
        for (String part : json.replaceAll("[\\[\\]\"\\s]", "").split(",")) {
            if (!part.isEmpty()) {
                items.add(part);
            }
        }
        return items;
    }
}
