package io.frostbyte.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An Ed25519 private key for deployment signatures ({@code signing.key_file}: proofs, receipts, exports, deletion
 * receipts; {@code audit.key_file}: checkpoints). Stored as an OKP JWK (RFC 8037) in a 0600 file,
 * {@code {"kty":"OKP","crv":"Ed25519","d":"<base64url>","x":"<base64url>"}}, the shape Nimbus JOSE reads, so a JWT
 * signing key can use the same file format.
 *
 * <p>Immutable and thread-safe. Holds no open file. Neither {@link #toString()} nor any exception shows the private
 * key.
 */
public final class SigningKey {
    /** The {@code alg} of every {@link Signature} made here. */
    public static final String ALGORITHM = "Ed25519";

    private static final int MAX_FILE_BYTES = 16 * 1024;
    private static final int SEED_BYTES = 32;

    // Tink's subtle Ed25519 works on the raw 32-byte d and x a JWK holds and derives x from d (the JDK's EdDSA cannot),
    // which lets load() prove the file's two halves belong together.
    private final Ed25519Sign signer;
    private final SignatureVerifier verifier;

    private SigningKey(byte[] seed, byte[] publicKey) throws GeneralSecurityException {
        this.signer = new Ed25519Sign(seed);
        this.verifier = SignatureVerifier.fromRawPublicKey(publicKey);
    }

    /**
     * Loads the JWK file, or creates it with a new key (mode 0600, atomically) when there is none.
     *
     * @throws FrostbyteException {@code CONFIG_INVALID} naming the path when the file is accessible by group or others,
     *     is not an Ed25519 OKP JWK whose {@code x} belongs to its {@code d}, or cannot be read or written
     */
    public static SigningKey loadOrCreate(Path path) {
        Path file = requireNonNull(path, "path is null").toAbsolutePath();
        if (!Files.exists(file)) {
            Ed25519Sign.KeyPair pair = newKeyPair();
            byte[] seed = pair.getPrivateKey();
            byte[] jwk = privateJwk(seed, pair.getPublicKey()).getBytes(UTF_8);
            try {
                if (SecretFiles.createIfAbsent(file, jwk)) {
                    return new SigningKey(seed, pair.getPublicKey());
                }
            } catch (IOException e) {
                throw new FrostbyteException(
                        ErrorCode.CONFIG_INVALID,
                        "signing key file " + file + " cannot be created: "
                                + e.getClass().getSimpleName(),
                        e);
            } catch (GeneralSecurityException e) {
                throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "Ed25519 is unavailable", e);
            } finally {
                Arrays.fill(seed, (byte) 0);
                Arrays.fill(jwk, (byte) 0);
            }
        }
        return load(file);
    }

    /**
     * Loads an existing JWK file.
     *
     * @throws FrostbyteException {@code CONFIG_INVALID} naming the path when it is missing, accessible by group or
     *     others, or not a consistent Ed25519 OKP JWK
     */
    public static SigningKey load(Path path) {
        Path file = requireNonNull(path, "path is null").toAbsolutePath();
        byte[] bytes;
        try {
            bytes = SecretFiles.read(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID,
                    "signing key file " + file + " cannot be read: "
                            + e.getClass().getSimpleName(),
                    e);
        }
        byte[] seed = null;
        try {
            Map<String, String> jwk = parseJsonObject(new String(bytes, UTF_8), file);
            require("OKP".equals(jwk.get("kty")), file, "kty is not OKP");
            require(ALGORITHM.equals(jwk.get("crv")), file, "crv is not Ed25519");
            seed = base64Url(jwk.get("d"), file, "d");
            byte[] publicKey = base64Url(jwk.get("x"), file, "x");
            Ed25519Sign.KeyPair derived = Ed25519Sign.KeyPair.newKeyPairFromSeed(seed);
            require(MessageDigest.isEqual(derived.getPublicKey(), publicKey), file, "x does not belong to d");
            return new SigningKey(seed, publicKey);
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "Ed25519 is unavailable", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (seed != null) {
                Arrays.fill(seed, (byte) 0);
            }
        }
    }

    /** A new key that lives only in memory (tests, ephemeral deployments). */
    public static SigningKey generate() {
        Ed25519Sign.KeyPair pair = newKeyPair();
        byte[] seed = pair.getPrivateKey();
        try {
            return new SigningKey(seed, pair.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "Ed25519 is unavailable", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** {@code "ed25519:"} + the first 16 hex digits of SHA-256 over the raw 32-byte public key. */
    public String keyId() {
        return verifier.keyId();
    }

    /** Signs {@code message} (already canonical: RFC 8785 JSON for anything structured). */
    public Signature sign(byte[] message) {
        requireNonNull(message, "message is null");
        try {
            return new Signature(ALGORITHM, keyId(), Base64.getEncoder().encodeToString(signer.sign(message)));
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "Ed25519 signing failed for " + keyId(), e);
        }
    }

    /** The raw 32-byte public key in standard base64. */
    public String publicKeyBase64() {
        return verifier.publicKeyBase64();
    }

    /** The public half as an OKP JWK: {@code {"kty":"OKP","crv":"Ed25519","x":"<base64url>"}}. */
    public String publicJwk() {
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + base64Url(verifier.rawPublicKey()) + "\"}";
    }

    /** A verifier for this key's signatures, holding only the public key. */
    public SignatureVerifier verifier() {
        return verifier;
    }

    /**
     * Whether {@code signatureValue} (standard base64) is a valid signature over {@code message} by the key whose raw
     * public key is {@code publicKeyBase64}.
     *
     * @throws IllegalArgumentException when the public key is not 32 bytes of standard base64
     */
    public static boolean verify(String publicKeyBase64, byte[] message, String signatureValue) {
        return SignatureVerifier.fromPublicKeyBase64(publicKeyBase64).verify(message, signatureValue);
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId() + "]";
    }

    private static Ed25519Sign.KeyPair newKeyPair() {
        try {
            return Ed25519Sign.KeyPair.newKeyPair();
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "Ed25519 is unavailable", e);
        }
    }

    private static String privateJwk(byte[] seed, byte[] publicKey) {
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"" + base64Url(seed) + "\",\"x\":\"" + base64Url(publicKey)
                + "\"}\n";
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] base64Url(String value, Path file, String member) {
        require(value != null, file, member + " is missing");
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw invalid(file, member + " is not base64url");
        }
        if (decoded.length != SEED_BYTES) {
            Arrays.fill(decoded, (byte) 0);
            throw invalid(file, member + " is not 32 bytes");
        }
        return decoded;
    }

    /** A flat JSON object's string members; other members are skipped, duplicates and trailing data refused. */
    private static Map<String, String> parseJsonObject(String text, Path file) {
        Map<String, String> members = new HashMap<>();
        Set<String> names = new HashSet<>();
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                require(names.add(name), file, "a member appears twice");
                if (reader.peek() == JsonToken.STRING) {
                    members.put(name, reader.nextString());
                } else {
                    reader.skipValue();
                }
            }
            reader.endObject();
            require(reader.peek() == JsonToken.END_DOCUMENT, file, "data follows the JSON object");
            return members;
        } catch (IOException | IllegalStateException e) {
            // no cause attached: a parser's message could quote the file
            throw invalid(file, "it is not a JSON object");
        }
    }

    private static void require(boolean condition, Path file, String why) {
        if (!condition) {
            throw invalid(file, why);
        }
    }

    private static FrostbyteException invalid(Path file, String why) {
        return new FrostbyteException(
                ErrorCode.CONFIG_INVALID, "signing key file " + file + " is not an Ed25519 OKP JWK: " + why);
    }
}
