package io.frostbyte.core.storage;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * What {@link ObjectStore#put} wrote: the key, and the size and SHA-256 of the plaintext as it streamed past.
 *
 * @param sizeBytes plaintext bytes, ≥ 0
 * @param sha256 64 lowercase hex digits
 */
public record StoredObject(ObjectKey key, long sizeBytes, String sha256) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public StoredObject {
        requireNonNull(key, "key is null");
        requireNonNull(sha256, "sha256 is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes is negative: " + sizeBytes);
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 is not 64 lowercase hex digits: " + sha256);
        }
    }
}
