package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.EventType;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * What to export (spec/06 §6.6): a tenant's events whose timestamp falls on the UTC days {@code from} to {@code to}
 * (inclusive). An {@code eventTypes} filter or {@code includeDetails=false} makes the export not verifiable.
 */
public record AuditExportRequest(
        UUID exportId,
        TenantId tenantId,
        Format format,
        LocalDate from,
        LocalDate to,
        Optional<List<EventType>> eventTypes,
        boolean includeDetails) {
    public enum Format {
        JSONL,
        CSV;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String eventsFile() {
            return this == JSONL ? "events.jsonl" : "events.csv";
        }
    }

    public AuditExportRequest {
        requireNonNull(exportId, "exportId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(format, "format is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to is before from");
        }
        eventTypes = requireNonNull(eventTypes, "eventTypes is null").map(List::copyOf);
    }

    /** Complete chain segment with details: an offline verifier can recompute every hash. */
    public boolean verifiable() {
        return includeDetails && eventTypes.isEmpty();
    }

    /** {@code audit-<tenant>-<from>-<to>.tar.gz}. */
    public String archiveName() {
        return "audit-" + tenantId.value() + "-" + from + "-" + to + ".tar.gz";
    }
}
