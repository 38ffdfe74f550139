package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One enriched chunk as stored in the tenant database: final (redacted) text, offsets into the canonical text, the
 * policy results, and the vector once embedded.
 *
 * @param piiTypes comma-separated PII type codes found in the chunk ({@code ""} for none)
 * @param injectionScore the score as a fixed three-decimal string, so it is exact in hashes
 * @param injectionCategories comma-separated category names
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
        Optional<String> vectorSha256) {
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
    }

    public boolean quarantined() {
        return status.equals("quarantined");
    }
}
