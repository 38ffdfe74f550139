package io.frostbyte.postgres.audit;

import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 {@link Signer} on a fresh JDK key pair, for tests. {@code keyId} = {@code ed25519:} + the first 16 hex
 * digits of sha256 over the raw 32-byte public key. Thread-safe.
 */
public final class TestEd25519Signer implements Signer {
    private final KeyPair keys;
    private final String keyId;

    public TestEd25519Signer() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = keys.getPublic().getEncoded(); // X.509 SubjectPublicKeyInfo: 12-byte prefix + 32 raw
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            keyId = "ed25519:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(raw))
                            .substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public SignatureValue sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(keys.getPrivate());
            signature.update(message);
            return new SignatureValue("Ed25519", keyId, Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean verify(byte[] message, SignatureValue value) {
        if (!"Ed25519".equals(value.alg()) || !keyId.equals(value.keyId())) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(keys.getPublic());
            signature.update(message);
            return signature.verify(Base64.getDecoder().decode(value.value()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
