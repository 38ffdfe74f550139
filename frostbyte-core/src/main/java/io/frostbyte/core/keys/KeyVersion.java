package io.frostbyte.core.keys;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One version of a tenant's KEK keyset.
 *
 * @param version 1-based, increasing with every rotation
 * @param keyId the key id inside the keyset that ciphertexts reference
 * @param status primary (encrypts), active (decrypts), retired (decrypts until rewrapped), destroyed
 */
public record KeyVersion(int version, long keyId, Status status, Instant createdAt, Optional<Instant> destroyedAt) {
    public enum Status {
        PRIMARY,
        ACTIVE,
        RETIRED,
        DESTROYED
    }

    public KeyVersion {
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1: " + version);
        }
        requireNonNull(status, "status is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(destroyedAt, "destroyedAt is null");
    }
}
