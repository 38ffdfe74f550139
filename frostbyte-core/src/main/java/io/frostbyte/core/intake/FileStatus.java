package io.frostbyte.core.intake;

import java.util.Locale;

/** A file's overall status in its batch (spec/01 §1.8). */
public enum FileStatus {
    QUEUED,
    PROCESSING,
    INDEXED,
    DEDUPLICATED,
    REJECTED,
    QUARANTINED,
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FileStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /** Whether the file is done: nothing more will happen to it unless a dead letter is retried. */
    public boolean terminal() {
        return this != QUEUED && this != PROCESSING;
    }

    /** Whether the file reached the index, itself or as a duplicate of a document that did. */
    public boolean completed() {
        return this == INDEXED || this == DEDUPLICATED;
    }
}
