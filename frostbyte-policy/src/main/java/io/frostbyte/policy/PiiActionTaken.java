package io.frostbyte.policy;

import java.util.Locale;

/** Chunk metadata {@code pii_action_taken}. */
public enum PiiActionTaken {
    NONE,
    REDACTED,
    FLAGGED,
    BLOCKED;

    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
