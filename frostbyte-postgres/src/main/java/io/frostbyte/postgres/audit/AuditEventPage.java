package io.frostbyte.postgres.audit;

import io.frostbyte.core.audit.AuditEvent;
import java.util.List;

/** One page of a listing, with the number of events matching the filter in total. */
public record AuditEventPage(List<AuditEvent> events, long total, int page, int limit) {
    public AuditEventPage {
        events = List.copyOf(events);
    }
}
