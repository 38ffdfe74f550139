package io.frostbyte.crypto;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.KeyVersion;
import io.frostbyte.core.tenant.KeysetTombstones;
import io.frostbyte.core.tenant.ProvisioningStep;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provisioning step 1 and deprovisioning step 3 (spec/07 §7.2, §7.4): the tenant's KEK keyset through a {@link
 * TenantKeyring}. {@link #provision} creates it, or keeps a live one (a repeated attempt); a keyset shredded by an
 * earlier rollback is first purged through {@link KeysetTombstones} (allowed only for tenants never provisioned).
 * {@link #verify} encrypts and decrypts a probe under the KEK. {@link #rollback} and {@link #deprovision} crypto-shred
 * ({@link TenantKeyring#shred}, idempotent; nothing to do without a keyset). {@link #verifyGone} checks that every
 * version is destroyed and the KEK refuses to load.
 *
 * <p>Thread-safe.
 */
public final class TenantKeysetStep implements ProvisioningStep {
    private static final byte[] PROBE = "frostbyte-provisioning-probe".getBytes(StandardCharsets.UTF_8);

    private final TenantKeyring keyring;
    private final KeysetTombstones tombstones;

    public TenantKeysetStep(TenantKeyring keyring, KeysetTombstones tombstones) {
        this.keyring = requireNonNull(keyring, "keyring is null");
        this.tombstones = requireNonNull(tombstones, "tombstones is null");
    }

    @Override
    public String name() {
        return KEYS;
    }

    @Override
    public Map<String, String> provision(TenantId tenantId) {
        Optional<List<KeyVersion>> existing = versions(tenantId);
        if (existing.isPresent() && !allDestroyed(existing.get())) {
            return Map.of("keyset_id", TenantKeyring.keysetId(tenantId));
        }
        if (existing.isPresent() && !tombstones.purgeUnused(tenantId)) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION,
                    "tenant " + tenantId + " has a shredded keyset that may not be replaced");
        }
        keyring.create(tenantId);
        return Map.of("keyset_id", TenantKeyring.keysetId(tenantId));
    }

    @Override
    public void verify(TenantId tenantId) throws GeneralSecurityException {
        byte[] associated = ("probe|" + tenantId.value()).getBytes(StandardCharsets.UTF_8);
        byte[] ciphertext = keyring.kek(tenantId).encrypt(PROBE, associated);
        byte[] plaintext = keyring.kek(tenantId).decrypt(ciphertext, associated);
        if (!Arrays.equals(PROBE, plaintext)) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "KEK probe of tenant " + tenantId + " failed");
        }
    }

    @Override
    public void rollback(TenantId tenantId) {
        shredIfPresent(tenantId);
    }

    @Override
    public void deprovision(TenantId tenantId) {
        shredIfPresent(tenantId);
    }

    @Override
    public void verifyGone(TenantId tenantId) {
        Optional<List<KeyVersion>> versions = versions(tenantId);
        if (versions.isPresent() && !allDestroyed(versions.get())) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "keyset of tenant " + tenantId + " still has live versions");
        }
        if (versions.isPresent()) {
            try {
                keyring.kek(tenantId);
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR, "KEK of tenant " + tenantId + " still loads after the shred");
            } catch (FrostbyteException e) {
                if (e.code() != ErrorCode.KEYS_DESTROYED) {
                    throw e;
                }
            }
        }
    }

    private void shredIfPresent(TenantId tenantId) {
        if (versions(tenantId).isPresent()) {
            keyring.shred(tenantId);
        }
    }

    private Optional<List<KeyVersion>> versions(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        try {
            return Optional.of(keyring.versions(tenantId));
        } catch (FrostbyteException e) {
            if (e.code() == ErrorCode.RESOURCE_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean allDestroyed(List<KeyVersion> versions) {
        return versions.stream().allMatch(v -> v.status() == KeyVersion.Status.DESTROYED);
    }
}
