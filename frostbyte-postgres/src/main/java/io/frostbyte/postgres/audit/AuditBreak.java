package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One place where a chain does not verify (spec/06 AUD-5).
 *
 * @param seq where it is: the missing seq for {@code seq_gap}, the event's seq otherwise
 * @param expected what verification expected (a hash, a seq, {@code "valid signature"}); never document content
 * @param actual what it found
 */
public record AuditBreak(long seq, Kind kind, String expected, String actual) {
    public enum Kind {
        SEQ_GAP,
        EVENT_HASH,
        PREV_HASH,
        CHECKPOINT,
        PROVENANCE;

        /** The wire name: {@code seq_gap}, {@code event_hash}, ... */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AuditBreak {
        requireNonNull(kind, "kind is null");
        requireNonNull(expected, "expected is null");
        requireNonNull(actual, "actual is null");
    }
}
