package io.frostbyte.crypto;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;

/** The core {@link Signer} port over a deployment {@link SigningKey}. Thread-safe. */
public final class SigningKeySigner implements Signer {
    private final SigningKey key;

    public SigningKeySigner(SigningKey key) {
        this.key = requireNonNull(key, "key is null");
    }

    @Override
    public String keyId() {
        return key.keyId();
    }

    @Override
    public SignatureValue sign(byte[] message) {
        Signature signature = key.sign(message);
        return new SignatureValue(signature.alg(), signature.keyId(), signature.value());
    }

    @Override
    public boolean verify(byte[] message, SignatureValue signature) {
        return signature.keyId().equals(key.keyId()) && key.verifier().verify(message, signature.value());
    }
}
