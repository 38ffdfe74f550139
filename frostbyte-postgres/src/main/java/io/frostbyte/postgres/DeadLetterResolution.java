package io.frostbyte.postgres;

import java.util.Locale;

/**
 * How a dead letter was resolved: {@link #REPROCESSED} by a retry (status {@code resolved}), {@link #SKIPPED} or
 * {@link #MANUAL_FIX} by abandoning it (status {@code abandoned}).
 */
public enum DeadLetterResolution {
    REPROCESSED,
    SKIPPED,
    MANUAL_FIX;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeadLetterResolution fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
