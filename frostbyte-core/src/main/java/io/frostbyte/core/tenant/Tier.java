package io.frostbyte.core.tenant;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.List;
import java.util.Locale;

/**
 * A tenant's tier (spec/07 §7.7) and the multiplier it applies to the default storage quota and the tenant's intake,
 * query and audit rate limits. Immutable.
 */
public enum Tier {
    STANDARD(1),
    PREMIUM(2),
    ENTERPRISE(5);

    private final int multiplier;

    Tier(int multiplier) {
        this.multiplier = multiplier;
    }

    public int multiplier() {
        return multiplier;
    }

    /** The lower-case name used on the wire and in the database: {@code standard}, {@code premium}, {@code enterprise}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} (detail field {@code tier}) for anything else
     */
    public static Tier fromWire(String text) {
        for (Tier tier : values()) {
            if (tier.wire().equals(text)) {
                return tier;
            }
        }
        throw new FrostbyteException(
                ErrorCode.VALIDATION_ERROR,
                "tier must be one of standard, premium, enterprise",
                List.of(new FrostbyteException.ErrorDetail(
                        "tier",
                        text == null || text.length() <= 64 ? text : text.substring(0, 64),
                        "standard|premium|enterprise")));
    }
}
