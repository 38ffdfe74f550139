package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

/**
 * One block of a {@link CanonicalDocument}, in reading order. {@code text} equals the code points
 * {@code [startChar, endChar)} of the document's canonical text.
 *
 * @param blockId {@code b0001}, {@code b0002}, ... in reading order
 * @param level heading level 1-6, list nesting depth from 1, else 0
 * @param page 1-based page where the block starts
 * @param pageEnd 1-based page where it ends
 * @param table the grid of a {@link BlockType#TABLE} block, null for every other type
 */
public record Block(
        String blockId,
        BlockType type,
        int level,
        String text,
        int page,
        int pageEnd,
        int startChar,
        int endChar,
        Table table) {
    public Block {
        requireNonNull(blockId, "block id is null");
        requireNonNull(type, "type is null");
        requireNonNull(text, "text is null");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("block " + blockId + " has no text");
        }
        if (type.hasLevel() ? level < 1 : level != 0) {
            throw new IllegalArgumentException("block " + blockId + " of type " + type + " has level " + level);
        }
        if (type == BlockType.HEADING && level > 6) {
            throw new IllegalArgumentException("heading level must be 1-6: " + level);
        }
        if (page < 1 || pageEnd < page) {
            throw new IllegalArgumentException("block " + blockId + " has pages " + page + "-" + pageEnd);
        }
        if (startChar < 0 || endChar - startChar != text.codePointCount(0, text.length())) {
            throw new IllegalArgumentException(
                    "block " + blockId + " offsets " + startChar + "-" + endChar + " do not fit its text");
        }
        if ((type == BlockType.TABLE) != (table != null)) {
            throw new IllegalArgumentException("block " + blockId + ": a table block, and only it, has a table");
        }
        if (table != null && !table.text().equals(text)) {
            throw new IllegalArgumentException("block " + blockId + ": text differs from its table's text");
        }
    }
}
