package io.frostbyte.core.keys;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's KEK keyset as stored: the keyset encrypted by the master key, never in clear.
 *
 * @param wrappedKeyset the keyset encrypted under the master key; empty once destroyed
 * @param revision optimistic-concurrency counter, +1 on every replace
 * @param versions the versions in ascending order
 * @param destroyedAt when the keyset was crypto-shredded
 */
public record StoredKeyset(
        TenantId tenantId,
        String keysetId,
        byte[] wrappedKeyset,
        long revision,
        List<KeyVersion> versions,
        Instant createdAt,
        Optional<Instant> destroyedAt) {
    public StoredKeyset {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(keysetId, "keysetId is null");
        wrappedKeyset = requireNonNull(wrappedKeyset, "wrappedKeyset is null").clone();
        versions = requireNonNull(versions, "versions is null").stream()
                .sorted(Comparator.comparingInt(KeyVersion::version))
                .toList();
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(destroyedAt, "destroyedAt is null");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1: " + revision);
        }
    }

    @Override
    public byte[] wrappedKeyset() {
        return wrappedKeyset.clone();
    }

    public boolean destroyed() {
        return destroyedAt.isPresent();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredKeyset other
                && tenantId.equals(other.tenantId)
                && keysetId.equals(other.keysetId)
                && Arrays.equals(wrappedKeyset, other.wrappedKeyset)
                && revision == other.revision
                && versions.equals(other.versions)
                && createdAt.equals(other.createdAt)
                && destroyedAt.equals(other.destroyedAt);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(tenantId, keysetId, Arrays.hashCode(wrappedKeyset), revision, versions);
    }

    @Override
    public String toString() {
        return "StoredKeyset[tenantId=" + tenantId + ", keysetId=" + keysetId + ", revision=" + revision + ", versions="
                + versions.size() + ", destroyed=" + destroyed() + "]";
    }
}
