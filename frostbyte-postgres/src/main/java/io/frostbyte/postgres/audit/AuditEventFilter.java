package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.audit.EventType;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Filters for listing a chain's events (spec/08 audit list); every present field must match.
 *
 * @param startDate first UTC day included
 * @param endDate last UTC day included
 * @param status {@code details.status}
 */
public record AuditEventFilter(
        Optional<EventType> eventType,
        Optional<String> resourceType,
        Optional<String> resourceId,
        Optional<LocalDate> startDate,
        Optional<LocalDate> endDate,
        Optional<String> actor,
        Optional<String> status) {
    public static final AuditEventFilter NONE = new AuditEventFilter(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    public AuditEventFilter {
        requireNonNull(eventType, "eventType is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(resourceId, "resourceId is null");
        requireNonNull(startDate, "startDate is null");
        requireNonNull(endDate, "endDate is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(status, "status is null");
        if (startDate.isPresent() && endDate.isPresent() && endDate.get().isBefore(startDate.get())) {
            throw new IllegalArgumentException("end_date is before start_date");
        }
    }

    public AuditEventFilter withEventType(EventType value) {
        return new AuditEventFilter(Optional.of(value), resourceType, resourceId, startDate, endDate, actor, status);
    }

    public AuditEventFilter withResourceType(String value) {
        return new AuditEventFilter(eventType, Optional.of(value), resourceId, startDate, endDate, actor, status);
    }

    public AuditEventFilter withResourceId(String value) {
        return new AuditEventFilter(eventType, resourceType, Optional.of(value), startDate, endDate, actor, status);
    }

    public AuditEventFilter withDates(LocalDate start, LocalDate end) {
        return new AuditEventFilter(
                eventType, resourceType, resourceId, Optional.of(start), Optional.of(end), actor, status);
    }

    public AuditEventFilter withActor(String value) {
        return new AuditEventFilter(
                eventType, resourceType, resourceId, startDate, endDate, Optional.of(value), status);
    }

    public AuditEventFilter withStatus(String value) {
        return new AuditEventFilter(eventType, resourceType, resourceId, startDate, endDate, actor, Optional.of(value));
    }
}
