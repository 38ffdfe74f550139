package io.frostbyte.core.proof;

import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/** A {@link Signer} over a fresh JDK Ed25519 key, for tests of code that must not depend on the crypto module. */
public final class JdkEd25519Signer implements Signer {
    private final KeyPair pair;
    private final VerificationKey publicKey;

    public JdkEd25519Signer() {
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 15+ has Ed25519", e);
        }
        byte[] encoded = pair.getPublic().getEncoded();
        publicKey = VerificationKey.fromBase64(
                Base64.getEncoder().encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
    }

    /** The public half, as a verifier holds it. */
    public VerificationKey publicKey() {
        return publicKey;
    }

    @Override
    public String keyId() {
        return publicKey.keyId();
    }

    @Override
    public SignatureValue sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(pair.getPrivate());
            signature.update(message);
            return new SignatureValue("Ed25519", keyId(), Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean verify(byte[] message, SignatureValue signature) {
        return signature.keyId().equals(keyId()) && publicKey.verify(message, signature.value());
    }
}
