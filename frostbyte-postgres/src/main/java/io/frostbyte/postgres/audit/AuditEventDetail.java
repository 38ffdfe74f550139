package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.audit.AuditEvent;
import java.util.Optional;
import java.util.UUID;

/**
 * One event with its place in its lineage: {@code nextEventId} is the latest event whose {@code previous_event_id} is
 * this one; {@code lineagePosition} counts events from the lineage's first (1) by {@code previous_event_id} links, and
 * {@code lineageLength} adds the events after it, following the latest successor each time.
 */
public record AuditEventDetail(AuditEvent event, Optional<UUID> nextEventId, int lineagePosition, int lineageLength) {
    public AuditEventDetail {
        requireNonNull(event, "event is null");
        requireNonNull(nextEventId, "nextEventId is null");
    }
}
