package io.frostbyte.postgres.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.postgres.Jdbc;
import io.frostbyte.postgres.SqlWork;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** JDBC plumbing of the audit plane: row mapping, transactions, content-free failures. */
final class AuditSql {
    /** The columns {@link #event} reads, in its order. */
    static final String EVENT_COLUMNS = "event_id, tenant_id, seq, event_type, \"timestamp\", actor, resource_type,"
            + " resource_id, previous_event_id, details::text AS details, prev_hash, event_hash";

    private AuditSql() {}

    static AuditEvent event(ResultSet rows) throws SQLException {
        try {
            String previous = rows.getString(9);
            return new AuditEvent(
                    UUID.fromString(rows.getString(1)),
                    TenantId.of(rows.getString(2)),
                    rows.getLong(3),
                    EventType.valueOf(rows.getString(4)),
                    instant(rows, 5),
                    rows.getString(6),
                    rows.getString(7),
                    rows.getString(8),
                    previous == null ? Optional.empty() : Optional.of(UUID.fromString(previous)),
                    AuditEventJson.detailsMap(AuditEventJson.MAPPER.readTree(rows.getString(10))),
                    rows.getString(11),
                    rows.getString(12));
        } catch (JsonProcessingException e) {
            throw new SQLException("audit_events.details is not JSON", "22P02", e);
        }
    }

    static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }

    /** One transaction on the shared plumbing ({@link Jdbc}): commits when the work returns, rolls back when it throws. */
    static <T> T inTransaction(DataSource dataSource, boolean readOnly, SqlWork<T> work) {
        return Jdbc.inTransaction(dataSource, readOnly, work);
    }

    static <T> T onConnection(Connection connection, SqlWork<T> work) {
        return Jdbc.onConnection(connection, work);
    }

    /** Content-free: only the SQLState (see {@link Jdbc#failure}). */
    static FrostbyteException failure(SQLException e) {
        return Jdbc.failure(e);
    }

    /** The audit log cannot be written: always {@code SERVICE_UNAVAILABLE} (AUD-1: the caller's operation fails). */
    static FrostbyteException writeFailure(SQLException e) {
        String state = e.getSQLState() == null ? "unknown" : e.getSQLState();
        return new FrostbyteException(
                ErrorCode.SERVICE_UNAVAILABLE, "audit log could not be written (SQLState " + state + ")", e);
    }
}
