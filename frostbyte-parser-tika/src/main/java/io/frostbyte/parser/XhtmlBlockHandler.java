package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.Furniture;
import io.frostbyte.core.document.ParseLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Maps Tika's XHTML events to raw blocks: {@code h1-h6}, {@code p}, {@code li} (nesting from the enclosing lists),
 * {@code pre}, {@code table/tr/td/th} with rowspan/colspan, page divs ({@code div.page} for PDF, {@code
 * div.slide-content} for PPTX), {@code div.header/footer} as furniture. Text deeper than the nesting limit, beyond the
 * page limit or beyond the character limit is dropped; past the character limit the parse is stopped.
 */
final class XhtmlBlockHandler extends DefaultHandler {
    /** Thrown to stop Tika once the character limit is reached; what was collected is kept. */
    static final class CharacterLimitReached extends SAXException {
        private static final long serialVersionUID = 1L;

        CharacterLimitReached() {
            super("character limit reached");
        }
    }

    private final ParseLimits limits;
    private final String pageDivClass;
    private final Extraction extraction = new Extraction();

    private int depth;
    private int droppingBelowDepth = Integer.MAX_VALUE;
    private int headDepth;
    private int page = 0;
    private int listDepth;
    private int preDepth;
    private Furniture.Kind furnitureKind;
    private int furnitureDepth;
    private int commentDepth;

    private BlockType openType;
    private int openLevel;
    private int openPage;
    private final StringBuilder text = new StringBuilder();

    private int tableDepth;
    private List<List<TableGrid.Cell>> tableRows;
    private List<TableGrid.Cell> currentRow;
    private StringBuilder cellText;
    private int cellRowspan;
    private int cellColspan;
    private boolean cellHeader;
    private int tablePage;
    private long tableCellsUsed;
    private long characters;

    XhtmlBlockHandler(ParseLimits limits, String pageDivClass) {
        this.limits = limits;
        this.pageDivClass = pageDivClass;
    }

    Extraction extraction() {
        flush();
        extraction.pageCount = Math.max(1, Math.min(page, limits.maxPages()));
        return extraction;
    }

    void droppedEmbeddedDocument(String reason) {
        extraction.drop("embedded_document", page(), reason);
    }

    private int page() {
        return Math.max(page, 1);
    }

    private boolean beyondPageLimit() {
        return page > limits.maxPages();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
        depth++;
        String name = localName.isEmpty() ? qName.toLowerCase(Locale.ROOT) : localName.toLowerCase(Locale.ROOT);
        if (depth > droppingBelowDepth) {
            return;
        }
        if (depth > limits.maxNestingDepth()) {
            droppingBelowDepth = depth - 1;
            extraction.drop("nested_element", page(), "limit_exceeded");
            return;
        }
        if (name.equals("head") || headDepth > 0) {
            headDepth++;
            return;
        }
        String cssClass = attributes.getValue("class");
        if (name.equals("div") && cssClass != null) {
            if (cssClass.equals(pageDivClass)) {
                flush();
                page++;
                if (page == limits.maxPages() + 1) {
                    extraction.drop("page", page, "limit_exceeded");
                }
                return;
            }
            if (cssClass.equals("header") || cssClass.equals("footer")) {
                flush();
                furnitureKind = cssClass.equals("header") ? Furniture.Kind.PAGE_HEADER : Furniture.Kind.PAGE_FOOTER;
                furnitureDepth = depth;
                return;
            }
            if (cssClass.contains("comment")) {
                commentDepth = commentDepth == 0 ? depth : commentDepth;
                extraction.drop("comment", page(), "comment");
                return;
            }
        }
        if (commentDepth > 0) {
            return;
        }
        if (name.equals("img")) {
            extraction.drop("image", page(), "image_without_text");
            return;
        }
        if (tableDepth > 0) {
            startInTable(name, attributes);
            return;
        }
        switch (name) {
            case "h1", "h2", "h3", "h4", "h5", "h6" -> open(BlockType.HEADING, name.charAt(1) - '0');
            case "p", "blockquote", "dd", "dt", "address" -> {
                if (openType != BlockType.LIST_ITEM && openType != BlockType.CODE) {
                    open(BlockType.PARAGRAPH, 0);
                } else {
                    text.append(' ');
                }
            }
            case "li" -> open(BlockType.LIST_ITEM, Math.max(listDepth, 1));
            case "ul", "ol", "dl" -> {
                flush();
                listDepth++;
            }
            case "pre" -> {
                if (preDepth++ == 0) {
                    open(BlockType.CODE, 0);
                }
            }
            case "table" -> {
                flush();
                tableDepth = 1;
                tableRows = new ArrayList<>();
                tablePage = page();
            }
            case "br" -> text.append('\n');
            case "div" -> {
                if (openType == BlockType.PARAGRAPH) {
                    flush();
                }
            }
            default -> {}
        }
    }

    private void startInTable(String name, Attributes attributes) {
        switch (name) {
            case "table" -> {
                tableDepth++;
                appendCellSeparator();
            }
            case "tr" -> {
                if (tableDepth == 1) {
                    currentRow = new ArrayList<>();
                } else {
                    appendCellSeparator();
                }
            }
            case "td", "th" -> {
                if (tableDepth == 1) {
                    if (currentRow == null) {
                        currentRow = new ArrayList<>();
                    }
                    cellText = new StringBuilder();
                    cellRowspan = span(attributes.getValue("rowspan"));
                    cellColspan = span(attributes.getValue("colspan"));
                    cellHeader = name.equals("th");
                } else {
                    appendCellSeparator();
                }
            }
            case "p", "div", "br", "li" -> appendCellSeparator();
            default -> {}
        }
    }

    private void appendCellSeparator() {
        if (cellText != null) {
            cellText.append(' ');
        }
    }

    private static int span(String value) {
        if (value == null) {
            return 1;
        }
        try {
            return Math.max(1, Math.min(Integer.parseInt(value.strip()), TableGrid.MAX_SPAN));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = localName.isEmpty() ? qName.toLowerCase(Locale.ROOT) : localName.toLowerCase(Locale.ROOT);
        try {
            if (droppingBelowDepth != Integer.MAX_VALUE && depth == droppingBelowDepth + 1) {
                droppingBelowDepth = Integer.MAX_VALUE;
                return;
            }
            if (depth > droppingBelowDepth) {
                return;
            }
            if (headDepth > 0) {
                headDepth--;
                return;
            }
            if (furnitureKind != null && depth == furnitureDepth) {
                flushAsFurniture();
                return;
            }
            if (commentDepth > 0) {
                if (depth == commentDepth) {
                    commentDepth = 0;
                }
                return;
            }
            if (tableDepth > 0) {
                endInTable(name);
                return;
            }
            switch (name) {
                case "h1", "h2", "h3", "h4", "h5", "h6", "li" -> flush();
                case "p", "blockquote", "dd", "dt", "address" -> {
                    if (openType == BlockType.PARAGRAPH) {
                        flush();
                    }
                }
                case "ul", "ol", "dl" -> {
                    flush();
                    listDepth = Math.max(0, listDepth - 1);
                }
                case "pre" -> {
                    if (--preDepth == 0) {
                        flush();
                    }
                }
                default -> {}
            }
        } finally {
            depth--;
        }
    }

    private void endInTable(String name) {
        switch (name) {
            case "table" -> {
                tableDepth--;
                if (tableDepth == 0) {
                    finishTable();
                }
            }
            case "tr" -> {
                if (tableDepth == 1 && currentRow != null) {
                    tableRows.add(currentRow);
                    currentRow = null;
                }
            }
            case "td", "th" -> {
                if (tableDepth == 1 && cellText != null) {
                    currentRow.add(new TableGrid.Cell(
                            CanonicalDocumentBuilder.normalizeInline(cellText.toString()),
                            cellRowspan,
                            cellColspan,
                            cellHeader));
                    cellText = null;
                }
            }
            default -> {}
        }
    }

    private void finishTable() {
        if (currentRow != null) {
            tableRows.add(currentRow);
            currentRow = null;
        }
        List<List<TableGrid.Cell>> rows = tableRows;
        tableRows = null;
        if (rows.isEmpty() || beyondPageLimit()) {
            return;
        }
        TableGrid.Laid laid = TableGrid.layout(rows, limits.maxTableCells() - tableCellsUsed);
        if (laid == null) {
            return;
        }
        if (laid.droppedCells() > 0) {
            extraction.drop("table_cell", tablePage, "limit_exceeded");
        }
        if (laid.table() != null) {
            tableCellsUsed += (long) laid.table().rows() * laid.table().columns();
            extraction.blocks.add(RawBlock.table(laid.table(), tablePage, page()));
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (depth > droppingBelowDepth || headDepth > 0 || commentDepth > 0) {
            return;
        }
        if (beyondPageLimit()) {
            return;
        }
        characters += length;
        if (characters > 2 * limits.maxCharacters() + 1024L) {
            flush();
            extraction.drop("text", page(), "limit_exceeded");
            throw new CharacterLimitReached();
        }
        if (tableDepth > 0) {
            if (cellText != null) {
                cellText.append(ch, start, length);
            }
            return;
        }
        if (openType == null && furnitureKind == null) {
            openType = BlockType.PARAGRAPH;
            openLevel = 0;
            openPage = page();
        }
        text.append(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        characters(ch, start, length);
    }

    private void open(BlockType type, int level) {
        flush();
        if (furnitureKind != null) {
            text.append('\n');
            return;
        }
        openType = type;
        openLevel = level;
        openPage = page();
    }

    private void flush() {
        if (furnitureKind != null) {
            return;
        }
        if (openType != null && !text.toString().isBlank() && !beyondPageLimit()) {
            extraction.blocks.add(RawBlock.text(openType, openLevel, text.toString(), openPage, page()));
        }
        text.setLength(0);
        openType = null;
        openLevel = 0;
    }

    private void flushAsFurniture() {
        String line = text.toString();
        if (!line.isBlank()) {
            extraction.furniture.add(new Extraction.FurnitureLine(page(), furnitureKind, line));
        }
        text.setLength(0);
        furnitureKind = null;
        openType = null;
    }
}
