package io.frostbyte.core.tenant;

import io.frostbyte.core.TenantId;

/**
 * Encrypts small per-tenant secrets (a tenant database role's password) for storage in the control database, bound to
 * the tenant: a sealed value copied to another tenant does not open. The server implements it with the master key.
 * Thread-safe.
 */
public interface SecretSealer {
    /** The sealed form of {@code plaintext}; the caller may wipe {@code plaintext} afterwards. */
    byte[] seal(TenantId tenantId, byte[] plaintext);

    /**
     * The plaintext of a value sealed for {@code tenantId}.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code DECRYPTION_FAILED} when it was sealed for another tenant,
     *     under another key or was altered
     */
    byte[] open(TenantId tenantId, byte[] sealed);
}
