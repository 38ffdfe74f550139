package io.frostbyte.policy;

import java.util.Locale;

/** Chunk metadata {@code pii_scan_result}. */
public enum PiiScanResult {
    CLEAN,
    PII_FOUND,
    REDACTED,
    BLOCKED;

    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
