package io.frostbyte.crypto;

import static java.util.Objects.requireNonNull;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A detached signature as it appears in receipts, proofs, exports and checkpoints:
 * {@code {"alg": "Ed25519", "key_id": "ed25519:6d6f05610cf8f110", "value": "<base64>"}}. Immutable and thread-safe.
 *
 * @param alg always {@value SigningKey#ALGORITHM}
 * @param keyId {@code "ed25519:"} + the first 16 hex digits of SHA-256 over the raw 32-byte public key
 * @param value the 64-byte signature, standard base64 with padding
 */
public record Signature(String alg, String keyId, String value) {
    private static final Pattern KEY_ID = Pattern.compile("^ed25519:[0-9a-f]{16}$");
    private static final int SIGNATURE_BYTES = 64;

    public Signature {
        requireNonNull(alg, "alg is null");
        requireNonNull(keyId, "keyId is null");
        requireNonNull(value, "value is null");
        if (!SigningKey.ALGORITHM.equals(alg)) {
            throw new IllegalArgumentException("alg must be " + SigningKey.ALGORITHM + ": " + alg);
        }
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("keyId must match " + KEY_ID.pattern() + ": " + keyId);
        }
        if (decodedLength(value) != SIGNATURE_BYTES) {
            throw new IllegalArgumentException("value must be " + SIGNATURE_BYTES + " bytes in standard base64");
        }
    }

    private static int decodedLength(String value) {
        try {
            return Base64.getDecoder().decode(value).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
