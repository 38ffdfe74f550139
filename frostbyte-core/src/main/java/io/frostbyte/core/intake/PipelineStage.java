package io.frostbyte.core.intake;

import java.util.Locale;

/** The stages a file goes through, in order (spec/01 §1.8). */
public enum PipelineStage {
    INTAKE,
    PARSE,
    POLICY,
    EMBED,
    INDEX;

    /** {@code intake}, {@code parse}, … */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
