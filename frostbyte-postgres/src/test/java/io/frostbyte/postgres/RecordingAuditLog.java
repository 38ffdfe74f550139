package io.frostbyte.postgres;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written {@link AuditLog} that records each draft together with the tenant's state and key epoch as seen
 * through the caller's connection, which proves the event is appended inside the transaction that made the change. It
 * can be told to fail. Drafts of transactions that later roll back stay recorded; tests look at the tenant's state too.
 */
final class RecordingAuditLog implements AuditLog {
    /** A draft and what the appending transaction saw of its tenant. */
    record Recorded(AuditEventDraft draft, String stateInTransaction, long epochInTransaction) {}

    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    void failing(boolean failing) {
        this.failing = failing;
    }

    List<Recorded> recorded() {
        return List.copyOf(recorded);
    }

    List<AuditEventDraft> drafts(TenantId tenantId) {
        return recorded.stream()
                .map(Recorded::draft)
                .filter(d -> d.tenantId().equals(tenantId))
                .toList();
    }

    List<EventType> types(TenantId tenantId) {
        return drafts(tenantId).stream().map(AuditEventDraft::eventType).toList();
    }

    AuditEventDraft last(TenantId tenantId, EventType type) {
        List<AuditEventDraft> drafts =
                drafts(tenantId).stream().filter(d -> d.eventType() == type).toList();
        if (drafts.isEmpty()) {
            throw new AssertionError("no " + type + " for " + tenantId);
        }
        return drafts.getLast();
    }

    Recorded lastRecorded(TenantId tenantId, EventType type) {
        List<Recorded> matching = recorded.stream()
                .filter(r -> r.draft().tenantId().equals(tenantId) && r.draft().eventType() == type)
                .toList();
        return matching.getLast();
    }

    void clear() {
        recorded.clear();
    }

    @Override
    public AuditEvent append(Connection transaction, AuditEventDraft draft) {
        if (failing) {
            throw new io.frostbyte.core.FrostbyteException(
                    io.frostbyte.core.ErrorCode.SERVICE_UNAVAILABLE, "audit log unavailable (test)");
        }
        String state = null;
        long epoch = 0;
        try {
            if (transaction.getAutoCommit()) {
                throw new AssertionError("audit append outside a transaction");
            }
            try (PreparedStatement select =
                    transaction.prepareStatement("SELECT state, key_epoch FROM tenants WHERE tenant_id = ?")) {
                select.setString(1, draft.tenantId().value());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        state = rows.getString(1);
                        epoch = rows.getLong(2);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        recorded.add(new Recorded(draft, state, epoch));
        return new AuditEvent(
                io.frostbyte.core.Uuid7.random(),
                draft.tenantId(),
                recorded.size(),
                draft.eventType(),
                Instant.now(),
                draft.actor(),
                draft.resourceType(),
                draft.resourceId(),
                draft.previousEventId(),
                draft.details(),
                AuditEvent.GENESIS_HASH,
                AuditEvent.GENESIS_HASH);
    }

    @Override
    public List<AuditEvent> appendAll(Connection transaction, List<AuditEventDraft> drafts) {
        List<AuditEvent> events = new ArrayList<>();
        for (AuditEventDraft draft : drafts) {
            events.add(append(transaction, draft));
        }
        return events;
    }
}
