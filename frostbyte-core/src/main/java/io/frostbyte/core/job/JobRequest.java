package io.frostbyte.core.job;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job to enqueue. The payload holds ids only, never content.
 *
 * @param idempotencyKey unique per stage: enqueueing the same key twice yields the first job
 */
public record JobRequest(
        TenantId tenantId,
        Stage stage,
        String resourceType,
        String resourceId,
        String idempotencyKey,
        Map<String, String> payload) {
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
    }
}
