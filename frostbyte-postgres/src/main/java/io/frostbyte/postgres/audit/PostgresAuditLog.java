package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@link AuditLog} on the control database's {@code audit_events} (migration V3).
 *
 * <p>Every append joins the caller's transaction, which must have auto-commit off (AUD-1): it locks the chain's row
 * in {@code audit_chain_heads} ({@code INSERT ... ON CONFLICT DO NOTHING} for a new chain, then
 * {@code SELECT ... FOR UPDATE}), so appends to one chain are serialized until that transaction ends and {@code seq}
 * has no gaps or duplicates (AUD-2); chains of different tenants do not wait for each other. A rolled-back transaction
 * leaves no event and no gap. {@link #appendAll} takes each chain's lock once (chains in tenant-id order, so two
 * batches cannot deadlock each other) and writes each chain's events with one multi-row insert.
 *
 * <p>{@code timestamp} is the clock truncated to milliseconds, {@code event_id} a UUIDv7 of the same clock.
 *
 * <p>Thread-safe. Failures surface as {@code SERVICE_UNAVAILABLE} with only the SQLState in the message.
 */
public final class PostgresAuditLog implements AuditLog {
    private static final String LOCK_HEAD =
            "SELECT seq, event_hash FROM audit_chain_heads WHERE tenant_id = ? FOR UPDATE";
    private static final String CREATE_HEAD = "INSERT INTO audit_chain_heads (tenant_id, seq, event_hash)"
            + " VALUES (?, 0, '" + AuditEvent.GENESIS_HASH + "') ON CONFLICT (tenant_id) DO NOTHING";
    private static final String INSERT_AND_ADVANCE = """
            WITH inserted AS (
                INSERT INTO audit_events (event_id, tenant_id, seq, event_type, "timestamp", actor, resource_type,
                                          resource_id, previous_event_id, details, prev_hash, event_hash)
                SELECT u.event_id::uuid, ?, u.seq, u.event_type, u.ts::timestamptz, u.actor, u.resource_type,
                       u.resource_id, u.previous_event_id::uuid, u.details::jsonb, u.prev_hash, u.event_hash
                FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::text[])
                    AS u(event_id, seq, event_type, ts, actor, resource_type, resource_id, previous_event_id, details,
                         prev_hash, event_hash)
            )
            UPDATE audit_chain_heads SET seq = ?, event_hash = ? WHERE tenant_id = ? AND seq = ?
            """;

    private static final String INSERT_ONE_AND_ADVANCE = """
            WITH inserted AS (
                INSERT INTO audit_events (event_id, tenant_id, seq, event_type, "timestamp", actor, resource_type,
                                          resource_id, previous_event_id, details, prev_hash, event_hash)
                VALUES (?::uuid, ?, ?, ?, ?::timestamptz, ?, ?, ?, ?::uuid, ?::jsonb, ?, ?)
            )
            UPDATE audit_chain_heads SET seq = ?, event_hash = ? WHERE tenant_id = ? AND seq = ?
            """;

    private final Clock clock;
    private final Uuid7 ids;
    private final Consumer<AuditEvent> onAppend;

    public PostgresAuditLog(Clock clock) {
        this(clock, event -> {});
    }

    /**
     * @param onAppend called with every event after it was written (still inside the caller's transaction, which may
     *     yet roll back), e.g. to count events for metrics; must be fast and must not throw
     */
    public PostgresAuditLog(Clock clock, Consumer<AuditEvent> onAppend) {
        this.clock = requireNonNull(clock, "clock is null");
        this.ids = new Uuid7(clock);
        this.onAppend = requireNonNull(onAppend, "onAppend is null");
    }

    @Override
    public AuditEvent append(Connection transaction, AuditEventDraft draft) {
        requireNonNull(draft, "draft is null");
        return appendAll(transaction, List.of(draft)).getFirst();
    }

    /**
     * Appends one event with an id allocated by the caller beforehand (a UUIDv7 from {@link Uuid7}), for records
     * that must name their audit event before it is written, such as a retrieval proof (spec/05 SRV-6).
     */
    public AuditEvent append(Connection transaction, AuditEventDraft draft, UUID presetEventId) {
        requireNonNull(draft, "draft is null");
        requireNonNull(presetEventId, "presetEventId is null");
        return write(transaction, List.of(draft), List.of(presetEventId)).getFirst();
    }

    /**
     * Appends several events with ids allocated by the caller beforehand ({@link #nextEventId()}), in order, each to
     * its own tenant's chain: a caller can name the events in the rest of its transaction and append them last, so
     * the chain's lock is held only from here to the commit.
     */
    public List<AuditEvent> appendAll(Connection transaction, List<AuditEventDraft> drafts, List<UUID> presetEventIds) {
        requireNonNull(drafts, "drafts is null");
        requireNonNull(presetEventIds, "presetEventIds is null");
        if (drafts.size() != presetEventIds.size()) {
            throw new IllegalArgumentException(
                    "one preset id per draft: " + drafts.size() + " drafts, " + presetEventIds.size() + " ids");
        }
        presetEventIds.forEach(id -> requireNonNull(id, "preset event id is null"));
        return write(transaction, drafts, List.copyOf(presetEventIds));
    }

    /** A fresh event id (UUIDv7 of this log's clock) for {@link #appendAll(Connection, List, List)}. */
    public UUID nextEventId() {
        return ids.next();
    }

    @Override
    public List<AuditEvent> appendAll(Connection transaction, List<AuditEventDraft> drafts) {
        return write(transaction, drafts, null);
    }

    private List<AuditEvent> write(Connection transaction, List<AuditEventDraft> drafts, List<UUID> presetIds) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(drafts, "drafts is null");
        if (drafts.isEmpty()) {
            return List.of();
        }
        Map<TenantId, List<Integer>> byChain = new TreeMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            AuditEventDraft draft = requireNonNull(drafts.get(i), "draft is null");
            byChain.computeIfAbsent(draft.tenantId(), t -> new ArrayList<>()).add(i);
        }
        AuditEvent[] stored = new AuditEvent[drafts.size()];
        try {
            requireTransaction(transaction);
            for (Map.Entry<TenantId, List<Integer>> chain : byChain.entrySet()) {
                ChainHead head = lockHead(transaction, chain.getKey());
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                List<AuditEvent> events = new ArrayList<>(chain.getValue().size());
                long seq = head.seq();
                String prevHash = head.eventHash();
                for (int index : chain.getValue()) {
                    UUID eventId = presetIds == null ? ids.next() : presetIds.get(index);
                    AuditEvent event = chain(drafts.get(index), eventId, ++seq, now, prevHash);
                    events.add(event);
                    stored[index] = event;
                    prevHash = event.eventHash();
                }
                insert(transaction, head, events);
            }
        } catch (SQLException e) {
            throw AuditSql.writeFailure(e);
        }
        List<AuditEvent> result = Arrays.asList(stored);
        result.forEach(onAppend);
        return List.copyOf(result);
    }

    /**
     * Locks the chain's head row in the caller's transaction (creating it for a new chain) and returns it; the lock
     * is held until the transaction ends.
     */
    static ChainHead lockHead(Connection transaction, TenantId tenantId) throws SQLException {
        ChainHead head = selectHead(transaction, tenantId);
        if (head != null) {
            return head;
        }
        try (PreparedStatement create = transaction.prepareStatement(CREATE_HEAD)) {
            create.setString(1, tenantId.value());
            create.executeUpdate();
        }
        head = selectHead(transaction, tenantId);
        if (head == null) {
            throw new SQLException("audit chain head vanished", "55000");
        }
        return head;
    }

    private static ChainHead selectHead(Connection transaction, TenantId tenantId) throws SQLException {
        try (PreparedStatement select = transaction.prepareStatement(LOCK_HEAD)) {
            select.setString(1, tenantId.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? new ChainHead(tenantId, rows.getLong(1), rows.getString(2)) : null;
            }
        }
    }

    private AuditEvent chain(AuditEventDraft draft, UUID eventId, long seq, Instant timestamp, String prevHash) {
        String eventHash = AuditEventJson.eventHashOfFields(
                eventId.toString(),
                draft.tenantId().value(),
                seq,
                draft.eventType().name(),
                AuditEventJson.formatTimestamp(timestamp),
                draft.actor(),
                draft.resourceType(),
                draft.resourceId(),
                draft.previousEventId().map(UUID::toString).orElse(null),
                draft.details(),
                prevHash);
        return new AuditEvent(
                eventId,
                draft.tenantId(),
                seq,
                draft.eventType(),
                timestamp,
                draft.actor(),
                draft.resourceType(),
                draft.resourceId(),
                draft.previousEventId(),
                draft.details(),
                prevHash,
                eventHash);
    }

    private static void insert(Connection transaction, ChainHead head, List<AuditEvent> events) throws SQLException {
        if (events.size() == 1) {
            insertOne(transaction, head, events.getFirst());
            return;
        }
        int n = events.size();
        String[] eventIds = new String[n];
        Long[] seqs = new Long[n];
        String[] types = new String[n];
        String[] timestamps = new String[n];
        String[] actors = new String[n];
        String[] resourceTypes = new String[n];
        String[] resourceIds = new String[n];
        String[] previous = new String[n];
        String[] details = new String[n];
        String[] prevHashes = new String[n];
        String[] hashes = new String[n];
        for (int i = 0; i < n; i++) {
            AuditEvent event = events.get(i);
            eventIds[i] = event.eventId().toString();
            seqs[i] = event.seq();
            types[i] = event.eventType().name();
            timestamps[i] = AuditEventJson.formatTimestamp(event.timestamp());
            actors[i] = event.actor();
            resourceTypes[i] = event.resourceType();
            resourceIds[i] = event.resourceId();
            previous[i] = event.previousEventId().map(UUID::toString).orElse(null);
            details[i] = AuditEventJson.detailsJson(event.details());
            prevHashes[i] = event.prevHash();
            hashes[i] = event.eventHash();
        }
        AuditEvent last = events.getLast();
        try (PreparedStatement statement = transaction.prepareStatement(INSERT_AND_ADVANCE)) {
            statement.setString(1, head.tenantId().value());
            statement.setArray(2, transaction.createArrayOf("text", eventIds));
            statement.setArray(3, transaction.createArrayOf("int8", seqs));
            statement.setArray(4, transaction.createArrayOf("text", types));
            statement.setArray(5, transaction.createArrayOf("text", timestamps));
            statement.setArray(6, transaction.createArrayOf("text", actors));
            statement.setArray(7, transaction.createArrayOf("text", resourceTypes));
            statement.setArray(8, transaction.createArrayOf("text", resourceIds));
            statement.setArray(9, transaction.createArrayOf("text", previous));
            statement.setArray(10, transaction.createArrayOf("text", details));
            statement.setArray(11, transaction.createArrayOf("text", prevHashes));
            statement.setArray(12, transaction.createArrayOf("text", hashes));
            statement.setLong(13, last.seq());
            statement.setString(14, last.eventHash());
            statement.setString(15, head.tenantId().value());
            statement.setLong(16, head.seq());
            if (statement.executeUpdate() != 1) {
                throw new SQLException("audit chain head moved while locked", "55000");
            }
        }
    }

    /** The common case, one event per transaction: plain parameters, no array encoding. */
    private static void insertOne(Connection transaction, ChainHead head, AuditEvent event) throws SQLException {
        try (PreparedStatement statement = transaction.prepareStatement(INSERT_ONE_AND_ADVANCE)) {
            statement.setString(1, event.eventId().toString());
            statement.setString(2, head.tenantId().value());
            statement.setLong(3, event.seq());
            statement.setString(4, event.eventType().name());
            statement.setString(5, AuditEventJson.formatTimestamp(event.timestamp()));
            statement.setString(6, event.actor());
            statement.setString(7, event.resourceType());
            statement.setString(8, event.resourceId());
            statement.setString(9, event.previousEventId().map(UUID::toString).orElse(null));
            statement.setString(10, AuditEventJson.detailsJson(event.details()));
            statement.setString(11, event.prevHash());
            statement.setString(12, event.eventHash());
            statement.setLong(13, event.seq());
            statement.setString(14, event.eventHash());
            statement.setString(15, head.tenantId().value());
            statement.setLong(16, head.seq());
            if (statement.executeUpdate() != 1) {
                throw new SQLException("audit chain head moved while locked", "55000");
            }
        }
    }

    private static void requireTransaction(Connection transaction) throws SQLException {
        if (transaction.getAutoCommit()) {
            throw new IllegalStateException(
                    "audit events are appended inside the caller's transaction: auto-commit must be off");
        }
    }

    /** A chain's head: its last {@code seq} (0 for an empty chain) and that event's hash. */
    record ChainHead(TenantId tenantId, long seq, String eventHash) {}
}
