package io.frostbyte.core.document;

/**
 * A page's span of canonical text; a page without blocks is empty at the offset where the next content starts.
 *
 * @param page 1-based
 * @param ocr true when the page's text was recognized by OCR rather than read from a text layer
 * @param ocrConfidence mean word confidence in [0, 1] of an OCR page, null for a text page
 */
public record Page(int page, int startChar, int endChar, boolean ocr, Double ocrConfidence) {
    public Page {
        if (page < 1 || startChar < 0 || endChar < startChar) {
            throw new IllegalArgumentException("invalid page " + page + ": " + startChar + "-" + endChar);
        }
        if (!ocr && ocrConfidence != null) {
            throw new IllegalArgumentException("page " + page + " has an OCR confidence but no OCR");
        }
        if (ocrConfidence != null && !(ocrConfidence >= 0 && ocrConfidence <= 1)) {
            throw new IllegalArgumentException("page " + page + " OCR confidence outside [0, 1]: " + ocrConfidence);
        }
    }

    /** A page read from its text layer. */
    public Page(int page, int startChar, int endChar) {
        this(page, startChar, endChar, false, null);
    }

    /** {@code text} or {@code ocr}, as in {@code pages[].source}. */
    public String source() {
        return ocr ? "ocr" : "text";
    }
}
