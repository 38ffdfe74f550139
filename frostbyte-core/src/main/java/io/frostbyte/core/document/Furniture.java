package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

/**
 * A running page header or footer. Furniture is neither a block nor part of the canonical text (spec/02 §2.3), so it
 * never reaches a chunk.
 */
public record Furniture(int page, Kind kind, String text) {
    public enum Kind {
        PAGE_HEADER("page_header"),
        PAGE_FOOTER("page_footer");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public Furniture {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        if (page < 1) {
            throw new IllegalArgumentException("furniture page must be >= 1: " + page);
        }
    }
}
