package io.frostbyte.core.storage;

/**
 * What a tenant's object namespace holds (spec/09 §9.2 {@code frostbyte_storage_bytes{store="object"}}).
 *
 * @param bytes stored bytes as the store holds them (ciphertext with its envelope), ≥ 0
 * @param objects number of objects, ≥ 0
 */
public record ObjectUsage(long bytes, long objects) {
    public static final ObjectUsage EMPTY = new ObjectUsage(0, 0);

    public ObjectUsage {
        if (bytes < 0 || objects < 0) {
            throw new IllegalArgumentException("usage is negative: " + bytes + " bytes, " + objects + " objects");
        }
    }
}
