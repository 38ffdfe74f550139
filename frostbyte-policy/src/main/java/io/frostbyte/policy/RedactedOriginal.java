package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

/**
 * One redacted value for {@code redactions/{doc_id}.json} (which the caller encrypts under the tenant key): its type,
 * its code-point range in the original text, and the original value. {@link #toString()} omits the value (POL-12).
 */
public record RedactedOriginal(PiiType type, int start, int end, String value) {
    public RedactedOriginal {
        requireNonNull(type, "type is null");
        requireNonNull(value, "value is null");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("range [" + start + ", " + end + ") is empty or negative");
        }
    }

    @Override
    public String toString() {
        return "RedactedOriginal[type=" + type + ", start=" + start + ", end=" + end + ", value=<" + (end - start)
                + " code points>]";
    }
}
