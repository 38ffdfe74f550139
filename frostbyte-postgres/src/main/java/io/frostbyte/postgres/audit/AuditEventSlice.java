package io.frostbyte.postgres.audit;

import io.frostbyte.core.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/** One slice of a cursor listing; {@code nextCursor} is present exactly when {@code hasMore}. */
public record AuditEventSlice(List<AuditEvent> events, Optional<String> nextCursor, boolean hasMore) {
    public AuditEventSlice {
        events = List.copyOf(events);
    }
}
