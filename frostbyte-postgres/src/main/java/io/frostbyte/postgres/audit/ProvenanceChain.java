package io.frostbyte.postgres.audit;

import io.frostbyte.core.audit.AuditEvent;
import java.util.List;
import java.util.UUID;

/**
 * A resource's provenance events, first to latest, along the latest branch; {@code olderBranches} are the resource's
 * other provenance events (left behind by reprocessing). Valid when every event's hash recomputes and every
 * {@code input_hash} equals its predecessor's {@code output_hash}.
 */
public record ProvenanceChain(List<AuditEvent> events, List<UUID> olderBranches, List<AuditBreak> breaks) {
    public ProvenanceChain {
        events = List.copyOf(events);
        olderBranches = List.copyOf(olderBranches);
        breaks = List.copyOf(breaks);
    }

    public boolean valid() {
        return breaks.isEmpty();
    }
}
