package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Counts and notes about a parse (spec/02 §2.3 {@code stats}); OCR figures are absent because this parser does no OCR.
 *
 * @param sourceEncoding detected charset of a TXT or CSV source, null for other formats
 * @param droppedContent sorted by element type, page, reason
 * @param warnings sorted, distinct
 */
public record DocumentStats(
        int pageCount,
        int sectionCount,
        int tableCount,
        int blockCount,
        long totalCharacters,
        String sourceEncoding,
        List<DroppedContent> droppedContent,
        List<String> warnings) {
    public DocumentStats {
        if (pageCount < 1 || sectionCount < 0 || tableCount < 0 || blockCount < 0 || totalCharacters < 0) {
            throw new IllegalArgumentException("stats counts out of range");
        }
        requireNonNull(droppedContent, "dropped content is null");
        requireNonNull(warnings, "warnings is null");
        droppedContent = droppedContent.stream().sorted(DroppedContent.ORDER).toList();
        warnings = warnings.stream().distinct().sorted().toList();
    }
}
