package io.frostbyte.policy;

import java.util.Locale;

/** Chunk metadata {@code injection_action_taken} (POL-14). */
public enum InjectionAction {
    PASS,
    FLAG,
    QUARANTINE;

    /** Action for {@code score} under the tenant thresholds ({@code flag < quarantine}). */
    public static InjectionAction of(double score, double flagThreshold, double quarantineThreshold) {
        if (!(flagThreshold < quarantineThreshold)) {
            throw new IllegalArgumentException(
                    "flag threshold " + flagThreshold + " must be below quarantine threshold " + quarantineThreshold);
        }
        if (score >= quarantineThreshold) {
            return QUARANTINE;
        }
        return score >= flagThreshold ? FLAG : PASS;
    }

    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
