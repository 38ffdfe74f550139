package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;

/**
 * One generation of a tenant's vector index (spec/04 §4.3, §4.5): a rebuild writes generation n+1 while queries still
 * read generation n. Adapters derive every physical name (directory, collection) from this value only.
 *
 * @param tenantId the owning tenant; never {@link TenantId#PLATFORM}
 * @param generation 1 or more
 */
public record IndexNamespace(TenantId tenantId, int generation) {
    /** The highest generation accepted; bounds names and is far beyond any realistic number of rebuilds. */
    public static final int MAX_GENERATION = 1_000_000;

    public IndexNamespace {
        requireNonNull(tenantId, "tenantId is null");
        if (tenantId.isPlatform()) {
            throw new IllegalArgumentException("_platform has no vector index");
        }
        if (generation < 1 || generation > MAX_GENERATION) {
            throw new IllegalArgumentException("generation must be in [1, " + MAX_GENERATION + "]: " + generation);
        }
    }

    /** The first generation of a tenant's index. */
    public static IndexNamespace first(TenantId tenantId) {
        return new IndexNamespace(tenantId, 1);
    }

    @Override
    public String toString() {
        return tenantId.value() + "/g" + generation;
    }
}
