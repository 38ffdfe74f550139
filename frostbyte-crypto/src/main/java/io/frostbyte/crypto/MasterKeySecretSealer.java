package io.frostbyte.crypto;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.SecretSealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Seals small per-tenant secrets (the tenant database role's password) with the master key, bound to the tenant by
 * associated data: a sealed value copied to another tenant does not open. Thread-safe.
 */
public final class MasterKeySecretSealer implements SecretSealer {
    private final MasterKey master;

    public MasterKeySecretSealer(MasterKey master) {
        this.master = requireNonNull(master, "master is null");
    }

    @Override
    public byte[] seal(TenantId tenantId, byte[] plaintext) {
        try {
            return master.aead().encrypt(plaintext, associatedData(tenantId));
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "tenant secret could not be sealed", e);
        }
    }

    @Override
    public byte[] open(TenantId tenantId, byte[] sealed) {
        try {
            return master.aead().decrypt(sealed, associatedData(tenantId));
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(
                    ErrorCode.DECRYPTION_FAILED, "tenant secret of " + tenantId + " does not open");
        }
    }

    private static byte[] associatedData(TenantId tenantId) {
        return ("frostbyte-tenant-secret|" + tenantId.value()).getBytes(StandardCharsets.UTF_8);
    }
}
