package io.frostbyte.core.keys;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * Where tenants' wrapped KEK keysets live (the control database in production). Implementations are thread-safe. The
 * store never sees a key in clear.
 */
public interface TenantKeysetStore {
    /** The tenant's keyset, destroyed ones included (as a tombstone); empty when none was ever created. */
    Optional<StoredKeyset> find(TenantId tenantId);

    /**
     * Stores a new keyset with revision 1.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code INVALID_STATE_TRANSITION} when the tenant already has one
     */
    void insert(StoredKeyset keyset);

    /**
     * Replaces the keyset if its stored revision is still {@code expectedRevision}; the new one must carry
     * {@code expectedRevision + 1}.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code INVALID_STATE_TRANSITION} when the revision moved on or the
     *     keyset was destroyed, {@code RESOURCE_NOT_FOUND} when there is none
     */
    void replace(StoredKeyset keyset, long expectedRevision);

    /**
     * Crypto-shreds: erases the wrapped bytes irrecoverably and keeps a tombstone with every version marked destroyed.
     * Idempotent.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code RESOURCE_NOT_FOUND} when there is none
     */
    void destroy(TenantId tenantId, Instant at);
}
