package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One audit export request and where it stands. */
public record AuditExportRecord(
        UUID exportId,
        TenantId tenantId,
        String status,
        String format,
        LocalDate startDate,
        LocalDate endDate,
        Optional<List<String>> eventTypes,
        boolean includeDetails,
        long estimatedEvents,
        Optional<Long> eventCount,
        Optional<String> fileSha256,
        Optional<Long> fileSizeBytes,
        Optional<String> filePath,
        Optional<String> errorCode,
        Instant createdAt,
        Optional<Instant> completedAt,
        Optional<Instant> expiresAt) {
    public AuditExportRecord {
        requireNonNull(exportId, "exportId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(status, "status is null");
        requireNonNull(format, "format is null");
        requireNonNull(startDate, "startDate is null");
        requireNonNull(endDate, "endDate is null");
        eventTypes = requireNonNull(eventTypes, "eventTypes is null").map(List::copyOf);
        requireNonNull(createdAt, "createdAt is null");
    }
}
