package io.frostbyte.core.job;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A claimed job, as a handler sees it.
 *
 * @param attempt 1 for the first run, counting every claim including those whose worker died
 * @param leaseOwner the worker that holds it
 */
public record Job(
        UUID jobId,
        TenantId tenantId,
        Stage stage,
        String resourceType,
        String resourceId,
        String idempotencyKey,
        Map<String, String> payload,
        int attempt,
        String leaseOwner,
        Instant leaseUntil,
        Instant createdAt,
        Instant dueAt) {
    public Job {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(resourceId, "resourceId is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
        payload =
                java.util.Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(payload, "payload is null")));
        requireNonNull(leaseOwner, "leaseOwner is null");
        requireNonNull(leaseUntil, "leaseUntil is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(dueAt, "dueAt is null");
    }
}
