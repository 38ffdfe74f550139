package io.frostbyte.crypto;

/**
 * What an encrypted object's header says, read without any key ({@link EnvelopeCipher#readHeader}): which tenant KEK
 * version wraps its DEK. Unauthenticated until the object is decrypted; use it to find objects to rewrap, not to trust.
 * Immutable and thread-safe.
 *
 * @param formatVersion the envelope format, currently 1
 * @param kekVersion the tenant KEK version that wraps the DEK ({@code fb-kek-version})
 * @param kekKeyId the Tink key id of that version (unsigned 32 bits)
 * @param length the header's length in bytes; the streaming ciphertext starts right after it
 */
public record EnvelopeHeader(int formatVersion, int kekVersion, long kekKeyId, int length) {
    public EnvelopeHeader {
        if (formatVersion < 1) {
            throw new IllegalArgumentException("formatVersion must be >= 1: " + formatVersion);
        }
        if (kekVersion < 1) {
            throw new IllegalArgumentException("kekVersion must be >= 1: " + kekVersion);
        }
        if (kekKeyId < 0 || kekKeyId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("kekKeyId must be an unsigned 32-bit value: " + kekKeyId);
        }
        if (length < 1) {
            throw new IllegalArgumentException("length must be >= 1: " + length);
        }
    }
}
