package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.intake.BatchStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A committed batch with every file's progress (spec/01 §1.8). */
public record BatchView(
        TenantId tenantId,
        String batchId,
        BatchStatus status,
        int fileCount,
        Optional<Instant> submittedAt,
        Instant receivedAt,
        Instant updatedAt,
        Optional<UUID> reportId,
        List<BatchFile> files) {
    public BatchView {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(batchId, "batchId is null");
        requireNonNull(status, "status is null");
        requireNonNull(submittedAt, "submittedAt is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(reportId, "reportId is null");
        files = List.copyOf(files);
    }
}
