package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.job.JobStatus;
import io.frostbyte.core.job.Stage;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A job row as it stands, for status views and tests.
 *
 * @param attempt how many times it was claimed
 * @param lastErrorCode the code of the latest failed attempt
 */
public record JobSnapshot(
        UUID jobId,
        TenantId tenantId,
        Stage stage,
        String resourceType,
        String resourceId,
        String idempotencyKey,
        JobStatus status,
        int attempt,
        Instant nextRunAt,
        Optional<String> leaseOwner,
        Optional<Instant> leaseUntil,
        Optional<ErrorCode> lastErrorCode,
        Optional<String> lastErrorMessage,
        Optional<Instant> firstAttemptAt) {
    public JobSnapshot {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(resourceId, "resourceId is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        requireNonNull(status, "status is null");
        requireNonNull(nextRunAt, "nextRunAt is null");
        requireNonNull(leaseOwner, "leaseOwner is null");
        requireNonNull(leaseUntil, "leaseUntil is null");
        requireNonNull(lastErrorCode, "lastErrorCode is null");
        requireNonNull(lastErrorMessage, "lastErrorMessage is null");
        requireNonNull(firstAttemptAt, "firstAttemptAt is null");
    }
}
