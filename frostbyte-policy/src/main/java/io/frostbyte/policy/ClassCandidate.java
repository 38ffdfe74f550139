package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

/** A label and its confidence in [0, 1]. */
public record ClassCandidate(DocumentClass label, double confidence) {
    public ClassCandidate {
        requireNonNull(label, "label is null");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1]: " + confidence);
        }
    }
}
