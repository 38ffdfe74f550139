package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Counts and notes about a parse (spec/02 §2.3 {@code stats}).
 *
 * @param sourceEncoding detected charset of a TXT or CSV source, null for other formats
 * @param droppedContent sorted by element type, page, reason
 * @param warnings sorted, distinct
 * @param ocrPages pages whose text was recognized by OCR
 * @param ocrAverageConfidence mean of the OCR pages' confidences, null without OCR pages
 * @param lowOcrConfidencePages OCR pages under the low-confidence threshold, ascending
 * @param trackedChanges tracked insertions and deletions resolved as accepted
 */
public record DocumentStats(
        int pageCount,
        int sectionCount,
        int tableCount,
        int blockCount,
        long totalCharacters,
        String sourceEncoding,
        List<DroppedContent> droppedContent,
        List<String> warnings,
        int ocrPages,
        Double ocrAverageConfidence,
        List<Integer> lowOcrConfidencePages,
        int trackedChanges) {
    public DocumentStats {
        if (pageCount < 1 || sectionCount < 0 || tableCount < 0 || blockCount < 0 || totalCharacters < 0) {
            throw new IllegalArgumentException("stats counts out of range");
        }
        if (ocrPages < 0 || ocrPages > pageCount || trackedChanges < 0) {
            throw new IllegalArgumentException("stats OCR pages or tracked changes out of range");
        }
        if ((ocrPages == 0) != (ocrAverageConfidence == null)) {
            throw new IllegalArgumentException("an OCR confidence goes with OCR pages and only with them");
        }
        requireNonNull(droppedContent, "dropped content is null");
        requireNonNull(warnings, "warnings is null");
        requireNonNull(lowOcrConfidencePages, "low OCR confidence pages is null");
        droppedContent = droppedContent.stream().sorted(DroppedContent.ORDER).toList();
        warnings = warnings.stream().distinct().sorted().toList();
        lowOcrConfidencePages =
                lowOcrConfidencePages.stream().distinct().sorted().toList();
    }

    /** Stats of a parse without OCR and tracked changes. */
    public DocumentStats(
            int pageCount,
            int sectionCount,
            int tableCount,
            int blockCount,
            long totalCharacters,
            String sourceEncoding,
            List<DroppedContent> droppedContent,
            List<String> warnings) {
        this(
                pageCount,
                sectionCount,
                tableCount,
                blockCount,
                totalCharacters,
                sourceEncoding,
                droppedContent,
                warnings,
                0,
                null,
                List.of(),
                0);
    }
}
