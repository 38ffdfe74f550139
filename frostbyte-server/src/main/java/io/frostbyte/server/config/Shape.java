package io.frostbyte.server.config;

import java.util.Locale;

/** The deployment shapes of ARCHITECTURE.md §2. */
public enum Shape {
    EMBEDDED,
    SCALED,
    OFFLINE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
