package io.frostbyte.postgres;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.Locale;

/** A tenant's tier (spec/07 §7.7) and the multiplier it applies to quotas and rate limits. */
enum TenantTier {
    STANDARD(1),
    PREMIUM(2),
    ENTERPRISE(5);

    private final int multiplier;

    TenantTier(int multiplier) {
        this.multiplier = multiplier;
    }

    int multiplier() {
        return multiplier;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static TenantTier fromWire(String text) {
        for (TenantTier tier : values()) {
            if (tier.wire().equals(text)) {
                return tier;
            }
        }
        throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "tier must be one of standard, premium, enterprise");
    }
}
