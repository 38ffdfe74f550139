package io.frostbyte.server.index;

import io.frostbyte.core.TenantId;

/**
 * Which index generation a tenant's pipeline and queries use (spec/04 §4.5). Implementations are thread-safe and may
 * cache for a few seconds; a switch is seen by every caller within that time.
 */
@FunctionalInterface
public interface IndexGenerations {
    /** The tenant's current generation, created as generation 1 with the deployment's profile on first use. */
    ActiveGeneration current(TenantId tenantId);
}
