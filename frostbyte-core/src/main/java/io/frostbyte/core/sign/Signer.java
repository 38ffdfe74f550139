package io.frostbyte.core.sign;

/**
 * Signs bytes with one of the deployment's Ed25519 keys (proofs, receipts, checkpoints, bundles). Callers sign the
 * JCS bytes of an object without its {@code signature} field. Thread-safe.
 */
public interface Signer {
    /** {@code ed25519:} + the first 16 hex digits of sha256 over the raw public key. */
    String keyId();

    SignatureValue sign(byte[] message);

    /** Whether {@code signature} is this key's valid signature of {@code message}. */
    boolean verify(byte[] message, SignatureValue signature);
}
