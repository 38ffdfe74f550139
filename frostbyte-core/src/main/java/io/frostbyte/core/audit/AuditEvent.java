package io.frostbyte.core.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

/**
 * A stored audit event (spec/06 §6.1): the draft plus its place in the tenant's hash chain.
 *
 * @param seq gap-free position in the chain, from 1
 * @param prevHash {@code event_hash} of {@code seq - 1}, 64 zeros for {@code seq} 1
 * @param eventHash sha256(prev_hash as 64 hex characters || JCS(event without event_hash)), lowercase hex
 */
public record AuditEvent(
        UUID eventId,
        TenantId tenantId,
        long seq,
        EventType eventType,
        Instant timestamp,
        String actor,
        String resourceType,
        String resourceId,
        Optional<UUID> previousEventId,
        SortedMap<String, Object> details,
        String prevHash,
        String eventHash) {
    public static final String GENESIS_HASH = "0".repeat(64);

    public AuditEvent {
        requireNonNull(eventId, "eventId is null");
        requireNonNull(tenantId, "tenantId is null");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1: " + seq);
        }
        requireNonNull(eventType, "eventType is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(resourceId, "resourceId is null");
        requireNonNull(previousEventId, "previousEventId is null");
        details = java.util.Collections.unmodifiableSortedMap(
                new java.util.TreeMap<>(requireNonNull(details, "details is null")));
        requireNonNull(prevHash, "prevHash is null");
        requireNonNull(eventHash, "eventHash is null");
    }
}
