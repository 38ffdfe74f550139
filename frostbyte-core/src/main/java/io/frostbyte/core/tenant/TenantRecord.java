package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the registry holds about one tenant, for {@code GET /admin/tenants/{t}} (spec/08 §8.6). Immutable.
 *
 * @param contactEmail empty once the tenant is deprovisioned (the tombstone keeps no contact data)
 * @param deletionReceipt the signed deletion receipt of spec/07 §7.4, once {@code DEPROVISIONED}
 */
public record TenantRecord(
        TenantId tenantId,
        String tenantName,
        Optional<String> contactEmail,
        TenantState state,
        Tier tier,
        TenantConfig config,
        int configVersion,
        long keyEpoch,
        boolean embeddingHalted,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> provisionedAt,
        Optional<Map<String, Object>> deletionReceipt) {
    public TenantRecord {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(tenantName, "tenantName is null");
        requireNonNull(contactEmail, "contactEmail is null");
        requireNonNull(state, "state is null");
        requireNonNull(tier, "tier is null");
        requireNonNull(config, "config is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(provisionedAt, "provisionedAt is null");
        deletionReceipt = requireNonNull(deletionReceipt, "deletionReceipt is null")
                .map(receipt -> Collections.unmodifiableMap(new LinkedHashMap<>(receipt)));
        if (configVersion < 1) {
            throw new IllegalArgumentException("configVersion must be >= 1: " + configVersion);
        }
        if (keyEpoch < 1) {
            throw new IllegalArgumentException("keyEpoch must be >= 1: " + keyEpoch);
        }
    }

    /** The status every request checks. */
    public TenantStatus status() {
        return new TenantStatus(tenantId, state, keyEpoch, tier.multiplier(), embeddingHalted);
    }
}
