package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An Ed25519 public key that verifies proofs, on the JDK alone. Its id is {@code ed25519:} + the first 16 hex digits of
 * sha256 over the raw 32-byte key, the {@code key_id} a signature names. Immutable and thread-safe.
 */
public final class VerificationKey {
    /** The only signature algorithm of a proof. */
    public static final String ALGORITHM = "Ed25519";

    private static final int KEY_BYTES = 32;
    private static final int SIGNATURE_BYTES = 64;
    private static final int MAX_KEYS = 256;
    // DER SubjectPublicKeyInfo of an Ed25519 key (RFC 8410) before the raw 32 bytes
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final byte[] raw;
    private final String keyId;
    private final PublicKey publicKey;

    private VerificationKey(byte[] raw) {
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 public key has " + KEY_BYTES + " bytes, not " + raw.length);
        }
        this.raw = raw.clone();
        this.keyId = "ed25519:" + Sha256.of(raw).substring(0, 16);
        byte[] der = new byte[X509_PREFIX.length + KEY_BYTES];
        System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, KEY_BYTES);
        try {
            this.publicKey = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** The raw 32-byte key in standard base64, as {@code GET /api/v1/keys} lists it ({@code public_key}). */
    public static VerificationKey fromBase64(String publicKeyBase64) {
        requireNonNull(publicKeyBase64, "publicKeyBase64 is null");
        try {
            return new VerificationKey(Base64.getDecoder().decode(publicKeyBase64.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key is not 32 bytes of standard base64", e);
        }
    }

    /**
     * Every proof-signing key in {@code text}, which is one of: the raw key in base64; an OKP JWK
     * ({@code {"kty":"OKP","crv":"Ed25519","x":"<base64url>"}}, a private JWK's {@code d} is ignored); the
     * {@code GET /api/v1/keys} response or its {@code data} ({@code {"keys":[{"key_id","purpose","public_key"}]}}), of
     * which only {@code purpose: "signing"} keys are kept and each listed {@code key_id} must match its key.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} when the text is none of these or holds no signing key
     */
    public static List<VerificationKey> readAll(String text) {
        requireNonNull(text, "text is null");
        String trimmed = text.strip();
        try {
            if (!trimmed.startsWith("{")) {
                return List.of(fromBase64(trimmed));
            }
            JsonFields root = JsonFields.of("keys", StrictJson.parse(trimmed));
            if (root.has("kty")) {
                return List.of(fromJwk(root));
            }
            JsonFields listing = root.has("data") ? root.object("data") : root;
            List<VerificationKey> keys = new ArrayList<>();
            for (JsonFields entry : listing.objects("keys", MAX_KEYS)) {
                Optional<String> purpose = entry.optionalString("purpose");
                if (purpose.isPresent() && !purpose.get().equals("signing")) {
                    continue;
                }
                VerificationKey key = fromBase64(entry.string("public_key"));
                Optional<String> listed = entry.optionalString("key_id");
                if (listed.isPresent() && !listed.get().equals(key.keyId())) {
                    throw entry.invalid("key_id does not belong to its public_key");
                }
                keys.add(key);
            }
            if (keys.isEmpty()) {
                throw listing.invalid("lists no signing key");
            }
            return List.copyOf(keys);
        } catch (IllegalArgumentException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "no usable public key: " + e.getMessage());
        }
    }

    private static VerificationKey fromJwk(JsonFields jwk) {
        if (!"OKP".equals(jwk.string("kty")) || !ALGORITHM.equals(jwk.string("crv"))) {
            throw jwk.invalid("is not an OKP Ed25519 JWK");
        }
        try {
            return new VerificationKey(Base64.getUrlDecoder().decode(jwk.string("x")));
        } catch (IllegalArgumentException e) {
            throw jwk.invalid("x is not 32 bytes of base64url");
        }
    }

    /** {@code ed25519:} + 16 hex digits. */
    public String keyId() {
        return keyId;
    }

    /** The raw key in standard base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(raw);
    }

    /** Whether {@code signatureBase64} (64 bytes, standard base64) is this key's signature of {@code message}. */
    public boolean verify(byte[] message, String signatureBase64) {
        requireNonNull(message, "message is null");
        requireNonNull(signatureBase64, "signatureBase64 is null");
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "VerificationKey[" + keyId + "]";
    }
}
