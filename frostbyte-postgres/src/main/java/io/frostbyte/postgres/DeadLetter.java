package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.job.Stage;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A dead-letter entry with the fields of spec/09 §9.1, plus the job a retry created.
 *
 * @param retryCount retries after the first attempt (attempts − 1)
 * @param errorMessage Frostbyte-authored, content-free
 * @param newJobId the job created by a retry ({@link DeadLetterResolution#REPROCESSED})
 */
public record DeadLetter(
        UUID dlqEntryId,
        TenantId tenantId,
        UUID originalJobId,
        Stage stage,
        String resourceType,
        String resourceId,
        Instant firstAttemptAt,
        Instant lastAttemptAt,
        int retryCount,
        ErrorCode errorCode,
        String errorMessage,
        String stackTraceHash,
        DeadLetterStatus status,
        Optional<Instant> resolvedAt,
        Optional<DeadLetterResolution> resolution,
        Optional<String> resolvedBy,
        Optional<UUID> newJobId) {
    public DeadLetter {
        requireNonNull(dlqEntryId, "dlqEntryId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(originalJobId, "originalJobId is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(resourceId, "resourceId is null");
        requireNonNull(firstAttemptAt, "firstAttemptAt is null");
        requireNonNull(lastAttemptAt, "lastAttemptAt is null");
        requireNonNull(errorCode, "errorCode is null");
        requireNonNull(errorMessage, "errorMessage is null");
        requireNonNull(stackTraceHash, "stackTraceHash is null");
        requireNonNull(status, "status is null");
        requireNonNull(resolvedAt, "resolvedAt is null");
        requireNonNull(resolution, "resolution is null");
        requireNonNull(resolvedBy, "resolvedBy is null");
        requireNonNull(newJobId, "newJobId is null");
    }
}
