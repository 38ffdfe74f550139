package io.frostbyte.core.document;

/**
 * A page's span of canonical text; a page without blocks is empty at the offset where the next content starts.
 *
 * @param page 1-based
 */
public record Page(int page, int startChar, int endChar) {
    public Page {
        if (page < 1 || startChar < 0 || endChar < startChar) {
            throw new IllegalArgumentException("invalid page " + page + ": " + startChar + "-" + endChar);
        }
    }
}
