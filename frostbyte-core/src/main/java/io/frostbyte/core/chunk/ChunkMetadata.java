package io.frostbyte.core.chunk;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * An enriched chunk's {@code metadata} (spec/03 §3.6): only codes, names, scores and versions, never matched text or PII
 * values (POL-12, POL-15).
 *
 * @param piiScanResult {@code clean|pii_found|redacted|blocked}
 * @param piiTypesFound PII codes, sorted, without duplicates
 * @param piiActionTaken {@code none|redacted|flagged|blocked}
 * @param classificationStatus {@code final|pending_review}
 * @param injectionPatternsMatched injection category names
 * @param injectionActionTaken {@code pass|flag|quarantine}
 */
public record ChunkMetadata(
        String piiScanResult,
        List<String> piiTypesFound,
        String piiActionTaken,
        String classification,
        double classificationConfidence,
        String classificationStatus,
        String classifierVersion,
        boolean humanOverride,
        double injectionScore,
        List<String> injectionPatternsMatched,
        String injectionActionTaken) {
    private static final Set<String> SCAN_RESULTS = Set.of("clean", "pii_found", "redacted", "blocked");
    private static final Set<String> PII_ACTIONS = Set.of("none", "redacted", "flagged", "blocked");
    private static final Set<String> CLASSES =
            Set.of("contract", "invoice", "SOP", "policy", "correspondence", "legal_filing", "other");
    private static final Set<String> CLASSIFICATION_STATUSES = Set.of("final", "pending_review");
    private static final Set<String> INJECTION_ACTIONS = Set.of("pass", "flag", "quarantine");

    public ChunkMetadata {
        requireOneOf(piiScanResult, SCAN_RESULTS, "pii_scan_result");
        piiTypesFound = List.copyOf(new java.util.TreeSet<>(requireNonNull(piiTypesFound, "pii types is null")));
        requireOneOf(piiActionTaken, PII_ACTIONS, "pii_action_taken");
        requireOneOf(classification, CLASSES, "classification");
        if (!(classificationConfidence >= 0 && classificationConfidence <= 1)) {
            throw new IllegalArgumentException(
                    "classification_confidence must be in [0, 1]: " + classificationConfidence);
        }
        requireOneOf(classificationStatus, CLASSIFICATION_STATUSES, "classification_status");
        requireNonNull(classifierVersion, "classifier version is null");
        if (!(injectionScore >= 0 && injectionScore <= 1)) {
            throw new IllegalArgumentException("injection_score must be in [0, 1]: " + injectionScore);
        }
        injectionPatternsMatched = List.copyOf(requireNonNull(injectionPatternsMatched, "injection patterns is null"));
        requireOneOf(injectionActionTaken, INJECTION_ACTIONS, "injection_action_taken");
    }

    private static void requireOneOf(String value, Set<String> allowed, String name) {
        requireNonNull(value, name + " is null");
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(
                    name + " must be one of " + new java.util.TreeSet<>(allowed) + ": " + value);
        }
    }
}
