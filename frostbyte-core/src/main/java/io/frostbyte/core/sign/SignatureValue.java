package io.frostbyte.core.sign;

import static java.util.Objects.requireNonNull;

/** {@code {"alg":"Ed25519","key_id":"ed25519:<16 hex>","value":"<base64>"}} (spec/00 conventions). */
public record SignatureValue(String alg, String keyId, String value) {
    public SignatureValue {
        requireNonNull(alg, "alg is null");
        requireNonNull(keyId, "keyId is null");
        requireNonNull(value, "value is null");
    }
}
