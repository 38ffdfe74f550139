package io.frostbyte.core.document;

/** The type of a {@link Block} (spec/02 §2.3); {@link #wireName()} is the value in {@code structured.json}. */
public enum BlockType {
    HEADING("heading"),
    PARAGRAPH("paragraph"),
    LIST_ITEM("list_item"),
    TABLE("table"),
    FIGURE_CAPTION("figure_caption"),
    CODE("code");

    private final String wireName;

    BlockType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether blocks of this type carry a level: a heading's level or a list item's nesting depth from 1. */
    public boolean hasLevel() {
        return this == HEADING || this == LIST_ITEM;
    }
}
