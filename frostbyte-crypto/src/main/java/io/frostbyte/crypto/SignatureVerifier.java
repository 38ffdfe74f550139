package io.frostbyte.crypto;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.subtle.Ed25519Verify;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Verifies Ed25519 signatures against one public key, e.g. one listed at {@code GET /api/v1/keys} or shipped with an
 * export. Needs no secret. Immutable and thread-safe.
 */
public final class SignatureVerifier {
    static final int PUBLIC_KEY_BYTES = 32;

    private final byte[] publicKey;
    private final String keyId;
    private final Ed25519Verify verify;

    private SignatureVerifier(byte[] publicKey) {
        this.publicKey = publicKey.clone();
        this.keyId = keyIdOf(publicKey);
        this.verify = new Ed25519Verify(this.publicKey);
    }

    /**
     * @param publicKeyBase64 the raw 32-byte Ed25519 public key in standard base64
     * @throws IllegalArgumentException when it is not base64 or not 32 bytes
     */
    public static SignatureVerifier fromPublicKeyBase64(String publicKeyBase64) {
        requireNonNull(publicKeyBase64, "publicKeyBase64 is null");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(publicKeyBase64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key is not standard base64", e);
        }
        return fromRawPublicKey(raw);
    }

    static SignatureVerifier fromRawPublicKey(byte[] raw) {
        if (raw.length != PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "an Ed25519 public key has " + PUBLIC_KEY_BYTES + " bytes, not " + raw.length);
        }
        return new SignatureVerifier(raw);
    }

    /** {@code "ed25519:"} + the first 16 hex digits of SHA-256 over the raw public key. */
    public String keyId() {
        return keyId;
    }

    byte[] rawPublicKey() {
        return publicKey.clone();
    }

    /** The raw 32-byte public key in standard base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    /**
     * Whether {@code signatureValue} (standard base64) is this key's signature over {@code message}. A malformed value
     * is simply not a valid signature.
     */
    public boolean verify(byte[] message, String signatureValue) {
        requireNonNull(message, "message is null");
        requireNonNull(signatureValue, "signatureValue is null");
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureValue);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            verify.verify(signature, message);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Whether {@code signature} names this key and verifies over {@code message}. */
    public boolean verify(byte[] message, Signature signature) {
        requireNonNull(signature, "signature is null");
        return keyId.equals(signature.keyId()) && verify(message, signature.value());
    }

    @Override
    public String toString() {
        return "SignatureVerifier[" + keyId + "]";
    }

    static String keyIdOf(byte[] publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
            return "ed25519:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
