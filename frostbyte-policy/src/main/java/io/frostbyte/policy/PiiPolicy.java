package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** Tenant {@code pii_policy}: what happens to a document with PII of an enabled type (spec/03 §3.3). */
public enum PiiPolicy {
    REDACT,
    FLAG,
    BLOCK;

    /** Parses the configuration value ({@code redact}, {@code flag} or {@code block}). */
    public static PiiPolicy fromConfig(String value) {
        requireNonNull(value, "value is null");
        return switch (value) {
            case "redact" -> REDACT;
            case "flag" -> FLAG;
            case "block" -> BLOCK;
            default -> throw new IllegalArgumentException("pii_policy must be redact, flag or block: " + value);
        };
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
