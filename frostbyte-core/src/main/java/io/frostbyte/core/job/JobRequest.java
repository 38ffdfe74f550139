package io.frostbyte.core.job;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A job to enqueue. The payload holds ids only, never content.
 *
 * @param idempotencyKey unique per stage: enqueueing the same key twice yields the first job
 * @param dueSince when the job is due if that is earlier than now: a document's next stage is due since its previous
 *     stage's job was, so it keeps that job's place in its tenant's line (oldest due first, spec/09 OPS-1) and a
 *     document moves through its stages before later documents are parsed
 */
public record JobRequest(
        TenantId tenantId,
        Stage stage,
        String resourceType,
        String resourceId,
        String idempotencyKey,
        Map<String, String> payload,
        Optional<Instant> dueSince) {
    public JobRequest {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(resourceId, "resourceId is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 512) {
            throw new IllegalArgumentException("idempotencyKey must have 1 to 512 characters");
        }
        payload =
                java.util.Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(payload, "payload is null")));
        requireNonNull(dueSince, "dueSince is null");
    }

    /** A job due now. */
    public JobRequest(
            TenantId tenantId,
            Stage stage,
            String resourceType,
            String resourceId,
            String idempotencyKey,
            Map<String, String> payload) {
        this(tenantId, stage, resourceType, resourceId, idempotencyKey, payload, Optional.empty());
    }
}
