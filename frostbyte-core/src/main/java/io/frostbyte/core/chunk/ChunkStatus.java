package io.frostbyte.core.chunk;

import java.util.Locale;

/** A chunk's {@code status} (spec/03 §3.6). */
public enum ChunkStatus {
    PENDING_EMBED,
    QUARANTINED,
    INDEXED,
    FAILED;

    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
