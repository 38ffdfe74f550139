package io.frostbyte.core.intake;

import java.util.Locale;

/** A file's state in one stage (spec/01 §1.8). */
public enum StageState {
    QUEUED,
    PROCESSING,
    COMPLETED,
    FAILED,
    /** Not run, because of an earlier terminal outcome (rejected, quarantined, failed, deduplicated). */
    SKIPPED,
    QUARANTINED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StageState fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
