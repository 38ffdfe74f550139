package io.frostbyte.postgres;

import java.util.Locale;

/** A dead letter's review status (spec/09 §9.1). */
public enum DeadLetterStatus {
    PENDING_REVIEW,
    RESOLVED,
    ABANDONED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeadLetterStatus fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
