package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One detected PII entity: its type and its half-open range {@code [start, end)} in Unicode code points of the
 * scanned text. Carries no value, so it is safe to log.
 */
public record PiiSpan(PiiType type, int start, int end) {
    /** Document order: by start, then end, then type. */
    public static final Comparator<PiiSpan> IN_TEXT_ORDER = Comparator.comparingInt(PiiSpan::start)
            .thenComparingInt(PiiSpan::end)
            .thenComparing(PiiSpan::type);

    public PiiSpan {
        requireNonNull(type, "type is null");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("span [" + start + ", " + end + ") is empty or negative");
        }
    }

    public int length() {
        return end - start;
    }

    public boolean overlaps(PiiSpan other) {
        return start < other.end && other.start < end;
    }
}
