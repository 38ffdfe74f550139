package io.frostbyte.core.scan;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The outcome of one malware scan (spec/01 §1.5). Only {@link Clean} means a scanner read the whole content and found
 * nothing; a file that could not be scanned is {@link NotScanned}, never clean (INT-7).
 */
public sealed interface ScanResult {
    Clean CLEAN = new Clean();

    /** The scanner read the whole content and found nothing. */
    record Clean() implements ScanResult {}

    /**
     * The scanner found malware.
     *
     * @param signature the name the scanner reported, e.g. {@code Frostbyte.Test.EICAR.UNOFFICIAL}
     */
    record Infected(String signature) implements ScanResult {
        public Infected {
            requireNonNull(signature, "signature is null");
            if (signature.isBlank()) {
                throw new IllegalArgumentException("signature is blank");
            }
        }
    }

    /**
     * The content was not scanned, or not completely.
     *
     * @param detail a content-free explanation for logs (the scanner's reply or the exception type)
     */
    record NotScanned(Reason reason, String detail) implements ScanResult {
        public NotScanned {
            requireNonNull(reason, "reason is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /** Why content was not scanned. */
    enum Reason {
        /** Larger than the client's or the scanner's stream limit. */
        TOO_LARGE,
        /** The scanner could not be reached, or dropped the connection. */
        CONNECTION,
        /** The scanner did not answer in time. */
        TIMEOUT,
        /** The scanner answered with an error. */
        ERROR;

        /** The lower snake_case name used in logs and metrics: {@code too_large}, {@code connection}, … */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Infected infected(String signature) {
        return new Infected(signature);
    }

    static NotScanned notScanned(Reason reason, String detail) {
        return new NotScanned(reason, detail);
    }
}
