package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One enriched chunk as stored in the tenant database: final (redacted) text, offsets into the canonical text, the
 * policy results, and the vector once embedded.
 *
 * @param piiTypes comma-separated PII type codes found in the chunk ({@code ""} for none)
 * @param injectionScore the score as a fixed three-decimal string, so it is exact in hashes
 * @param injectionCategories comma-separated category names
 * @param piiAction spec/03 {@code pii_action_taken}: {@code none}, {@code redacted}, {@code flagged} or {@code blocked}
 * @param enrichment the rest of the enriched chunk (spec/03 §3.6)
 */
public record ChunkRow(
        String chunkId,
        String docId,
        int position,
        int page,
        int pageEnd,
        int startChar,
        int endChar,
        String elementType,
        Optional<String> sectionTitle,
        String text,
        String textSha256,
        String status,
        String piiTypes,
        String piiAction,
        String injectionScore,
        String injectionCategories,
        Optional<String> classification,
        Optional<float[]> vector,
        Optional<String> vectorSha256,
        Enrichment enrichment) {
    public ChunkRow {
        requireNonNull(chunkId, "chunkId is null");
        requireNonNull(docId, "docId is null");
        requireNonNull(elementType, "elementType is null");
        requireNonNull(sectionTitle, "sectionTitle is null");
        requireNonNull(text, "text is null");
        requireNonNull(textSha256, "textSha256 is null");
        requireNonNull(status, "status is null");
        requireNonNull(piiTypes, "piiTypes is null");
        requireNonNull(piiAction, "piiAction is null");
        requireNonNull(injectionScore, "injectionScore is null");
        requireNonNull(injectionCategories, "injectionCategories is null");
        requireNonNull(classification, "classification is null");
        requireNonNull(vector, "vector is null");
        requireNonNull(vectorSha256, "vectorSha256 is null");
        requireNonNull(enrichment, "enrichment is null");
    }

    /**
     * The enriched chunk's fields beyond text, offsets and gate summaries (spec/03 §3.6).
     *
     * @param sectionPath heading titles from the outermost to the innermost
     * @param headingLevel level of the innermost heading, 0 without one
     * @param piiScanResult {@code clean}, {@code pii_found}, {@code redacted} or {@code blocked}
     * @param injectionAction {@code pass}, {@code flag} or {@code quarantine}
     * @param classificationConfidence a fixed three-decimal string, as on the document row
     * @param configVersion the tenant configuration version the policy job ran with (POL-2); empty on rows written
     *     before it was recorded
     * @param lineageJson canonical JSON {@code {raw_sha256, parser_version, chunker_version, chunker_params,
     *     policy_version, config_version}}; empty on rows written before it was recorded
     */
    public record Enrichment(
            List<String> sectionPath,
            int headingLevel,
            boolean headerRepeated,
            boolean oversize,
            String piiScanResult,
            String injectionAction,
            Optional<String> classificationConfidence,
            Optional<String> classificationStatus,
            Optional<String> classifierVersion,
            boolean humanOverride,
            Optional<Integer> configVersion,
            Optional<String> lineageJson) {
        private static final Set<String> SCAN_RESULTS = Set.of("clean", "pii_found", "redacted", "blocked");
        private static final Set<String> INJECTION_ACTIONS = Set.of("pass", "flag", "quarantine");

        public Enrichment {
            sectionPath = List.copyOf(requireNonNull(sectionPath, "sectionPath is null"));
            if (headingLevel < 0 || headingLevel > 6) {
                throw new IllegalArgumentException("headingLevel must be 0-6: " + headingLevel);
            }
            if (!SCAN_RESULTS.contains(requireNonNull(piiScanResult, "piiScanResult is null"))) {
                throw new IllegalArgumentException("piiScanResult must be one of " + SCAN_RESULTS);
            }
            if (!INJECTION_ACTIONS.contains(requireNonNull(injectionAction, "injectionAction is null"))) {
                throw new IllegalArgumentException("injectionAction must be one of " + INJECTION_ACTIONS);
            }
            requireNonNull(classificationConfidence, "classificationConfidence is null");
            requireNonNull(classificationStatus, "classificationStatus is null");
            requireNonNull(classifierVersion, "classifierVersion is null");
            requireNonNull(configVersion, "configVersion is null");
            requireNonNull(lineageJson, "lineageJson is null");
        }
    }

    public boolean quarantined() {
        return status.equals("quarantined");
    }
}
