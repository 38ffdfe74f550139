package io.frostbyte.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.KeyVersion;
import java.util.List;
import java.util.Optional;

/**
 * One consistent view of a tenant's KEK: the versions and the cipher built from the same stored revision, so the
 * version written into an envelope header is always the one whose key encrypted it. Immutable.
 *
 * @param aead the cipher over every non-destroyed version; null once the keyset is destroyed
 */
record KekSnapshot(TenantId tenantId, long revision, List<KeyVersion> versions, Aead aead) {
    KekSnapshot {
        requireNonNull(tenantId, "tenantId is null");
        versions = List.copyOf(requireNonNull(versions, "versions is null"));
    }

    boolean destroyed() {
        return aead == null;
    }

    /** The cipher, or {@code KEYS_DESTROYED} once the keyset was crypto-shredded. */
    Aead requireAead() {
        if (aead == null) {
            throw TenantKeyring.keysDestroyed(tenantId);
        }
        return aead;
    }

    KeyVersion primary() {
        return versions.stream()
                .filter(v -> v.status() == KeyVersion.Status.PRIMARY)
                .findFirst()
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR, "keyset of tenant " + tenantId + " has no primary version"));
    }

    Optional<KeyVersion> version(int version) {
        return versions.stream().filter(v -> v.version() == version).findFirst();
    }

    int highestVersion() {
        return versions.stream().mapToInt(KeyVersion::version).max().orElse(0);
    }
}
