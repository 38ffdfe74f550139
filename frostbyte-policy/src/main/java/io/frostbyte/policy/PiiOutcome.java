package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the PII gate decided for one text. {@link #counts()} and {@link #typesFound()} are what summaries, events and
 * metrics may carry (POL-12); {@link #redaction()} holds the originals for the encrypted redactions file only.
 */
public record PiiOutcome(
        PiiScanResult scanResult,
        PiiActionTaken actionTaken,
        SortedMap<PiiType, Integer> counts,
        Optional<Redaction> redaction) {
    public PiiOutcome {
        requireNonNull(scanResult, "scanResult is null");
        requireNonNull(actionTaken, "actionTaken is null");
        counts = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(counts, "counts is null")));
        requireNonNull(redaction, "redaction is null");
    }

    /** Quarantines the whole document ({@code PII_BLOCK_POLICY}); later gates are skipped. */
    public boolean blocksDocument() {
        return scanResult == PiiScanResult.BLOCKED;
    }

    /** Codes found, in {@link PiiType} order. */
    public List<PiiType> typesFound() {
        return List.copyOf(counts.keySet());
    }

    /**
     * The pure decision of spec/03 §3.3: only spans of {@code enabledTypes} count; {@code redact} replaces them,
     * {@code flag} keeps the text, {@code block} quarantines the document.
     */
    public static PiiOutcome decide(
            PiiPolicy policy, java.util.Set<PiiType> enabledTypes, String text, List<PiiSpan> spans) {
        requireNonNull(policy, "policy is null");
        requireNonNull(enabledTypes, "enabledTypes is null");
        Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
        for (PiiSpan span : spans) {
            if (enabledTypes.contains(span.type())) {
                counts.merge(span.type(), 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            return new PiiOutcome(PiiScanResult.CLEAN, PiiActionTaken.NONE, new TreeMap<>(), Optional.empty());
        }
        return switch (policy) {
            case REDACT ->
                new PiiOutcome(
                        PiiScanResult.REDACTED,
                        PiiActionTaken.REDACTED,
                        new TreeMap<>(counts),
                        Optional.of(PiiRedactor.redact(text, spans, enabledTypes)));
            case FLAG ->
                new PiiOutcome(
                        PiiScanResult.PII_FOUND, PiiActionTaken.FLAGGED, new TreeMap<>(counts), Optional.empty());
            case BLOCK ->
                new PiiOutcome(PiiScanResult.BLOCKED, PiiActionTaken.BLOCKED, new TreeMap<>(counts), Optional.empty());
        };
    }
}
