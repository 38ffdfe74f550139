package io.frostbyte.core.tenant;

import io.frostbyte.core.TenantId;

/**
 * Removes the tombstone of a KEK keyset that a provisioning rollback shredded, so that a retry can create a fresh
 * keyset for the same tenant (a tombstone otherwise blocks creation for ever). Thread-safe.
 */
public interface KeysetTombstones {
    /**
     * Deletes the tenant's keyset tombstone if the keyset is destroyed and the tenant never became {@code ACTIVE} (so
     * no data was ever encrypted under it). A live keyset and the tombstone of a tenant that held data are kept.
     *
     * @return whether a tombstone was deleted
     */
    boolean purgeUnused(TenantId tenantId);
}
