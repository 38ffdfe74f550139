package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;

/**
 * What every request checks about its tenant: state, key epoch (tokens issued under an older epoch are revoked), tier
 * multiplier for rate limits, and whether embedding is halted.
 */
public record TenantStatus(
        TenantId tenantId, TenantState state, long keyEpoch, int tierMultiplier, boolean embeddingHalted) {
    public TenantStatus {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(state, "state is null");
        if (keyEpoch < 1) {
            throw new IllegalArgumentException("keyEpoch must be >= 1: " + keyEpoch);
        }
        if (tierMultiplier < 1) {
            throw new IllegalArgumentException("tierMultiplier must be >= 1: " + tierMultiplier);
        }
    }
}
