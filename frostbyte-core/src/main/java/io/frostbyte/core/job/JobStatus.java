package io.frostbyte.core.job;

import java.util.Locale;

public enum JobStatus {
    QUEUED,
    PROCESSING,
    COMPLETED,
    FAILED,
    DEAD;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
