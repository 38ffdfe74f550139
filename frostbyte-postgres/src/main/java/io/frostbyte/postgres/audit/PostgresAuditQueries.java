package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads a tenant's chain for the API and the console. Every call is scoped to one tenant: another tenant's events are
 * never returned (an event id of another chain is simply not found). Each call is one read-only transaction.
 * Thread-safe.
 */
public final class PostgresAuditQueries {
    public static final int MAX_LIMIT = 500;
    private static final int MAX_LINEAGE = 100_000;
    private static final String CURSOR_PREFIX = "seq:";

    /** Listing order, by {@code seq} (which is the order of {@code timestamp} within a chain). */
    public enum Sort {
        ASC,
        DESC
    }

    /** One page of a chain's checkpoints, latest first. */
    public record CheckpointPage(List<AuditCheckpoint> checkpoints, long total, int page, int limit) {
        public CheckpointPage {
            checkpoints = List.copyOf(checkpoints);
        }
    }

    private final DataSource dataSource;

    public PostgresAuditQueries(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /**
     * One page of the tenant's events matching the filter.
     *
     * @param page 1-based
     * @param limit 1 to {@value #MAX_LIMIT}
     */
    public AuditEventPage list(TenantId tenantId, AuditEventFilter filter, int page, int limit, Sort sort) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(sort, "sort is null");
        checkLimit(limit);
        if (page < 1) {
            throw validation("page must be >= 1");
        }
        return AuditSql.inTransaction(dataSource, true, c -> {
            Where where = where(tenantId, filter);
            long total;
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM audit_events" + where.sql)) {
                where.bind(count, 1);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<AuditEvent> events = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + AuditSql.EVENT_COLUMNS + " FROM audit_events"
                    + where.sql + " ORDER BY seq " + sort.name() + " LIMIT ? OFFSET ?")) {
                int next = where.bind(select, 1);
                select.setInt(next, limit);
                select.setLong(next + 1, (long) (page - 1) * limit);
                readEvents(select, events);
            }
            return new AuditEventPage(events, total, page, limit);
        });
    }

    /**
     * The events after {@code cursor} (from the start when empty) matching the filter; the cursor is opaque (base64 of
     * the last {@code seq} returned) and only valid with the same filter and sort.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} for a malformed cursor
     */
    public AuditEventSlice listAfter(
            TenantId tenantId, AuditEventFilter filter, Optional<String> cursor, int limit, Sort sort) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(cursor, "cursor is null");
        requireNonNull(sort, "sort is null");
        checkLimit(limit);
        Optional<Long> after = cursor.map(PostgresAuditQueries::decodeCursor);
        return AuditSql.inTransaction(dataSource, true, c -> {
            Where where = where(tenantId, filter);
            String sql = "SELECT " + AuditSql.EVENT_COLUMNS + " FROM audit_events" + where.sql
                    + (after.isPresent() ? (sort == Sort.ASC ? " AND seq > ?" : " AND seq < ?") : "")
                    + " ORDER BY seq " + sort.name() + " LIMIT ?";
            List<AuditEvent> events = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int next = where.bind(select, 1);
                if (after.isPresent()) {
                    select.setLong(next++, after.get());
                }
                select.setInt(next, limit + 1);
                readEvents(select, events);
            }
            boolean hasMore = events.size() > limit;
            if (hasMore) {
                events.removeLast();
            }
            Optional<String> nextCursor =
                    hasMore ? Optional.of(encodeCursor(events.getLast().seq())) : Optional.empty();
            return new AuditEventSlice(events, nextCursor, hasMore);
        });
    }

    /** The tenant's event with this id, with its successor and lineage position; empty for another tenant's event. */
    public Optional<AuditEventDetail> find(TenantId tenantId, UUID eventId) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(eventId, "eventId is null");
        return AuditSql.inTransaction(dataSource, true, c -> {
            Optional<AuditEvent> event = event(c, tenantId, eventId);
            if (event.isEmpty()) {
                return Optional.empty();
            }
            Optional<UUID> next;
            try (PreparedStatement select = c.prepareStatement("SELECT event_id::text FROM audit_events"
                    + " WHERE tenant_id = ? AND previous_event_id = ? ORDER BY seq DESC LIMIT 1")) {
                select.setString(1, tenantId.value());
                select.setObject(2, eventId);
                try (ResultSet rows = select.executeQuery()) {
                    next = rows.next() ? Optional.of(UUID.fromString(rows.getString(1))) : Optional.empty();
                }
            }
            int position = (int) singleLong(c, """
                    WITH RECURSIVE back(event_id, previous_event_id, depth) AS (
                        SELECT event_id, previous_event_id, 1 FROM audit_events WHERE tenant_id = ? AND event_id = ?
                        UNION ALL
                        SELECT e.event_id, e.previous_event_id, b.depth + 1
                        FROM back b JOIN audit_events e ON e.event_id = b.previous_event_id AND e.tenant_id = ?
                        WHERE b.depth < ?
                    )
                    SELECT max(depth) FROM back
                    """, tenantId, eventId, tenantId, MAX_LINEAGE);
            int after = (int) singleLong(c, """
                    WITH RECURSIVE forward(event_id, depth) AS (
                        SELECT ?::uuid, 0
                        UNION ALL
                        SELECT (SELECT e.event_id FROM audit_events e
                                WHERE e.tenant_id = ? AND e.previous_event_id = f.event_id
                                  AND e.details->>'output_hash' IS NOT NULL
                                ORDER BY e.seq DESC LIMIT 1),
                               f.depth + 1
                        FROM forward f
                        WHERE f.event_id IS NOT NULL AND f.depth < ?
                    )
                    SELECT max(depth) - 1 FROM forward
                    """, eventId, tenantId, MAX_LINEAGE);
            return Optional.of(new AuditEventDetail(event.get(), next, position, position + after));
        });
    }

    /**
     * The provenance chain of a resource (spec/06 §6.3): from its latest provenance event back along
     * {@code previous_event_id} links, returned first to latest, checked (each event's hash, each
     * {@code input_hash} against the predecessor's {@code output_hash}). Empty when the resource has no provenance
     * event.
     */
    public Optional<ProvenanceChain> chainOf(TenantId tenantId, String resourceId) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(resourceId, "resourceId is null");
        return AuditSql.inTransaction(dataSource, true, c -> {
            Optional<ProvenanceLinks.ProvenanceEvent> latest =
                    ProvenanceLinks.latestProvenanceEvent(c, tenantId, resourceId);
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            List<AuditEvent> path = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("""
                    WITH RECURSIVE back(event_id, previous_event_id, depth) AS (
                        SELECT event_id, previous_event_id, 1 FROM audit_events WHERE tenant_id = ? AND event_id = ?
                        UNION ALL
                        SELECT e.event_id, e.previous_event_id, b.depth + 1
                        FROM back b JOIN audit_events e ON e.event_id = b.previous_event_id AND e.tenant_id = ?
                        WHERE b.depth < ?
                    )
                    SELECT """ + " " + prefixed("a") + """
                     FROM back b JOIN audit_events a ON a.event_id = b.event_id AND a.tenant_id = ?
                    ORDER BY b.depth DESC
                    """)) {
                select.setString(1, tenantId.value());
                select.setObject(2, latest.get().eventId());
                select.setString(3, tenantId.value());
                select.setInt(4, MAX_LINEAGE);
                select.setString(5, tenantId.value());
                readEvents(select, path);
            }
            Set<UUID> onPath = new HashSet<>();
            path.forEach(e -> onPath.add(e.eventId()));
            List<UUID> older = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT event_id::text FROM audit_events"
                            + " WHERE tenant_id = ? AND resource_id = ? AND details->>'output_hash' IS NOT NULL ORDER BY seq")) {
                select.setString(1, tenantId.value());
                select.setString(2, resourceId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        UUID id = UUID.fromString(rows.getString(1));
                        if (!onPath.contains(id)) {
                            older.add(id);
                        }
                    }
                }
            }
            return Optional.of(new ProvenanceChain(path, older, check(path)));
        });
    }

    /** One page of the tenant's checkpoints, latest first. */
    public CheckpointPage checkpoints(TenantId tenantId, int page, int limit) {
        requireNonNull(tenantId, "tenantId is null");
        checkLimit(limit);
        if (page < 1) {
            throw validation("page must be >= 1");
        }
        return AuditSql.inTransaction(dataSource, true, c -> {
            long total;
            try (PreparedStatement count =
                    c.prepareStatement("SELECT count(*) FROM audit_checkpoints WHERE tenant_id = ?")) {
                count.setString(1, tenantId.value());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<AuditCheckpoint> checkpoints = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT seq, event_hash, time, key_id, signature"
                    + " FROM audit_checkpoints WHERE tenant_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?")) {
                select.setString(1, tenantId.value());
                select.setInt(2, limit);
                select.setLong(3, (long) (page - 1) * limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        checkpoints.add(checkpoint(tenantId, rows));
                    }
                }
            }
            return new CheckpointPage(checkpoints, total, page, limit);
        });
    }

    /** The chain's head and latest checkpoint; empty when the tenant has no events. */
    public Optional<AuditChainHead> head(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return AuditSql.inTransaction(dataSource, true, c -> {
            long seq;
            String hash;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT seq, event_hash FROM audit_chain_heads WHERE tenant_id = ? AND seq > 0")) {
                select.setString(1, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    seq = rows.getLong(1);
                    hash = rows.getString(2);
                }
            }
            Optional<AuditCheckpoint> last;
            try (PreparedStatement select = c.prepareStatement("SELECT seq, event_hash, time, key_id, signature"
                    + " FROM audit_checkpoints WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1")) {
                select.setString(1, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    last = rows.next() ? Optional.of(checkpoint(tenantId, rows)) : Optional.empty();
                }
            }
            return Optional.of(new AuditChainHead(tenantId, seq, hash, last));
        });
    }

    static String encodeCursor(long seq) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + seq).getBytes(StandardCharsets.US_ASCII));
    }

    static long decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!text.startsWith(CURSOR_PREFIX)) {
                throw validation("cursor is malformed");
            }
            long seq = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
            if (seq < 0) {
                throw validation("cursor is malformed");
            }
            return seq;
        } catch (IllegalArgumentException e) {
            throw validation("cursor is malformed");
        }
    }

    private static List<AuditBreak> check(List<AuditEvent> path) {
        List<AuditBreak> breaks = new ArrayList<>();
        AuditEvent previous = null;
        for (AuditEvent event : path) {
            String recomputed = AuditEventJson.computeEventHash(event);
            if (!recomputed.equals(event.eventHash())) {
                breaks.add(new AuditBreak(event.seq(), AuditBreak.Kind.EVENT_HASH, recomputed, event.eventHash()));
            }
            Object input = event.details().get("input_hash");
            if (previous != null && input != null) {
                Object output = previous.details().get("output_hash");
                if (!input.equals(output)) {
                    breaks.add(new AuditBreak(
                            event.seq(),
                            AuditBreak.Kind.PROVENANCE,
                            String.valueOf(input),
                            output == null ? "missing" : String.valueOf(output)));
                }
            }
            previous = event;
        }
        return breaks;
    }

    private static Optional<AuditEvent> event(Connection c, TenantId tenantId, UUID eventId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + AuditSql.EVENT_COLUMNS + " FROM audit_events WHERE tenant_id = ? AND event_id = ?")) {
            select.setString(1, tenantId.value());
            select.setObject(2, eventId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(AuditSql.event(rows)) : Optional.empty();
            }
        }
    }

    private static long singleLong(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                select.setObject(i + 1, values[i] instanceof TenantId t ? t.value() : values[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void readEvents(PreparedStatement select, List<AuditEvent> into) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                into.add(AuditSql.event(rows));
            }
        }
    }

    private static AuditCheckpoint checkpoint(TenantId tenantId, ResultSet rows) throws SQLException {
        return new AuditCheckpoint(
                tenantId,
                rows.getLong(1),
                rows.getString(2),
                AuditSql.instant(rows, 3),
                rows.getString(4),
                rows.getString(5));
    }

    private static String prefixed(String alias) {
        return ("a.event_id, a.tenant_id, a.seq, a.event_type, a.\"timestamp\", a.actor, a.resource_type,"
                        + " a.resource_id, a.previous_event_id, a.details::text AS details, a.prev_hash, a.event_hash")
                .replace("a.", alias + ".");
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw validation("limit must be 1 to " + MAX_LIMIT);
        }
    }

    private static FrostbyteException validation(String message) {
        return new FrostbyteException(ErrorCode.VALIDATION_ERROR, message);
    }

    private static Where where(TenantId tenantId, AuditEventFilter filter) {
        StringBuilder sql = new StringBuilder(" WHERE tenant_id = ?");
        List<Object> values = new ArrayList<>();
        values.add(tenantId.value());
        filter.eventType().ifPresent(v -> {
            sql.append(" AND event_type = ?");
            values.add(v.name());
        });
        filter.resourceType().ifPresent(v -> {
            sql.append(" AND resource_type = ?");
            values.add(v);
        });
        filter.resourceId().ifPresent(v -> {
            sql.append(" AND resource_id = ?");
            values.add(v);
        });
        filter.startDate().ifPresent(v -> {
            sql.append(" AND \"timestamp\" >= ?");
            values.add(v.atStartOfDay().atOffset(ZoneOffset.UTC));
        });
        filter.endDate().ifPresent(v -> {
            sql.append(" AND \"timestamp\" < ?");
            values.add(v.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        });
        filter.actor().ifPresent(v -> {
            sql.append(" AND actor = ?");
            values.add(v);
        });
        filter.status().ifPresent(v -> {
            sql.append(" AND details->>'status' = ?");
            values.add(v);
        });
        return new Where(sql.toString(), values);
    }

    private record Where(String sql, List<Object> values) {
        /** Binds the values from {@code index}; returns the next free index. */
        int bind(PreparedStatement statement, int index) throws SQLException {
            for (Object value : values) {
                statement.setObject(index++, value);
            }
            return index;
        }
    }
}
