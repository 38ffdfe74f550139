package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.Table;

/** A block before normalization and offsets; {@code text} keeps its line breaks so furniture can be found by line. */
record RawBlock(BlockType type, int level, String text, int page, int pageEnd, Table table) {
    static RawBlock text(BlockType type, int level, String text, int page, int pageEnd) {
        return new RawBlock(type, level, text, page, pageEnd, null);
    }

    static RawBlock table(Table table, int page, int pageEnd) {
        return new RawBlock(BlockType.TABLE, 0, "", page, pageEnd, table);
    }

    RawBlock withText(String newText) {
        return new RawBlock(type, level, newText, page, pageEnd, table);
    }
}
