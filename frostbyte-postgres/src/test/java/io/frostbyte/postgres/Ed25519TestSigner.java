package io.frostbyte.postgres;

import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;

/** A {@link Signer} on the JDK's Ed25519 with a fresh key per instance. */
final class Ed25519TestSigner implements Signer {
    private final KeyPair keys;
    private final String keyId;

    Ed25519TestSigner() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = keys.getPublic().getEncoded();
            byte[] raw = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
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
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(keys.getPublic());
            signature.update(message);
            return value.keyId().equals(keyId)
                    && signature.verify(Base64.getDecoder().decode(value.value()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
