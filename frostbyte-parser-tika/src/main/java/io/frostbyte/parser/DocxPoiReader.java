package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.Furniture;
import io.frostbyte.core.document.ParseLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFFooter;
import org.apache.poi.xwpf.usermodel.XWPFHeader;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFSDT;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTDecimalNumber;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTNumPr;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTPPrGeneral;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTTcPr;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STMerge;
import org.w3c.dom.Node;

/**
 * DOCX through POI's XWPF model (spec/02 §2.2), the reference and fallback of the streaming {@link DocxReader}: headings from heading/title styles and outline levels (of the paragraph or its
 * style chain), list items with their nesting level from numbering ({@code w:numPr}, also inherited from styles),
 * tables on a full grid with {@code gridSpan}/{@code vMerge} as merged cells, tracked changes resolved as all accepted
 * ({@code w:ins} kept, {@code w:del} dropped, both counted), comments, images and field codes dropped, page headers
 * and footers as furniture. Nested tables deeper than {@code parse.max_nesting_depth} are dropped.
 */
final class DocxPoiReader {
    private static final String WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private static final int MAX_STYLE_CHAIN = 16;

    private final ParseLimits limits;
    private final Extraction extraction = new Extraction();
    private XWPFStyles styles;
    private long tableCellsUsed;

    private DocxPoiReader(ParseLimits limits) {
        this.limits = limits;
    }

    static Extraction read(byte[] bytes, ParseLimits limits) throws IOException {
        DocxPoiReader reader = new DocxPoiReader(limits);
        try (XWPFDocument document = new XWPFDocument(new ByteArrayInputStream(bytes))) {
            reader.styles = document.getStyles();
            reader.body(document.getBodyElements(), 1);
            reader.furniture(document);
            int comments = document.getComments() == null ? 0 : document.getComments().length;
            if (comments > 0) {
                reader.extraction.dropped.merge("comment\u00001\u0000comment", (long) comments, Long::sum);
            }
            POIXMLProperties.CoreProperties core = document.getProperties().getCoreProperties();
            reader.extraction.metadata.put("title", core.getTitle());
            reader.extraction.metadata.put("author", core.getCreator());
            if (core.getCreated() != null) {
                reader.extraction.metadata.put(
                        "created", core.getCreated().toInstant().toString());
            }
        }
        reader.extraction.metadata.values().removeIf(value -> value == null || value.isBlank());
        return reader.extraction;
    }

    private void body(List<IBodyElement> elements, int depth) {
        for (IBodyElement element : elements) {
            switch (element) {
                case XWPFParagraph paragraph -> paragraph(paragraph);
                case XWPFTable table -> table(table, depth);
                case XWPFSDT sdt ->
                    text(BlockType.PARAGRAPH, 0, sdt.getContent().getText());
                default -> extraction.drop("unsupported_element", 1, "unsupported_element");
            }
        }
    }

    private void paragraph(XWPFParagraph paragraph) {
        String text = paragraphText(paragraph);
        if (text.isBlank()) {
            return;
        }
        int heading = headingLevel(paragraph);
        if (heading > 0) {
            text(BlockType.HEADING, heading, text);
            return;
        }
        int listLevel = listLevel(paragraph);
        if (listLevel > 0) {
            text(BlockType.LIST_ITEM, listLevel, text);
        } else {
            text(BlockType.PARAGRAPH, 0, text);
        }
    }

    private void text(BlockType type, int level, String text) {
        if (!text.isBlank()) {
            extraction.blocks.add(RawBlock.text(type, level, text, 1, 1));
        }
    }

    /** The final text of a paragraph: insertions kept, deletions, field codes and fallback content skipped. */
    private String paragraphText(XWPFParagraph paragraph) {
        StringBuilder text = new StringBuilder();
        walk(paragraph.getCTP().getDomNode(), text, 0);
        return text.toString();
    }

    private void walk(Node node, StringBuilder text, int depth) {
        if (depth > 64) {
            return;
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            String name = child.getLocalName();
            boolean word = WORD_NS.equals(child.getNamespaceURI());
            if (name == null) {
                continue;
            }
            if (word) {
                switch (name) {
                    case "pPr", "rPr", "instrText", "delText", "delInstrText", "footnoteReference" -> {}
                    case "del", "moveFrom" -> extraction.trackedChanges++;
                    case "ins", "moveTo" -> {
                        extraction.trackedChanges++;
                        walk(child, text, depth + 1);
                    }
                    case "t" -> appendTextNodes(child, text);
                    case "tab", "ptab" -> text.append('\t');
                    case "br", "cr" -> text.append('\n');
                    case "noBreakHyphen" -> text.append('-');
                    case "drawing", "pict", "object" -> {
                        extraction.drop("image", 1, "image_without_text");
                        walk(child, text, depth + 1);
                    }
                    case "txbxContent" -> {
                        text.append('\n');
                        walk(child, text, depth + 1);
                        text.append('\n');
                    }
                    default -> walk(child, text, depth + 1);
                }
            } else if (!name.equals("Fallback")) {
                walk(child, text, depth + 1);
            }
        }
    }

    /** XmlBeans' DOM has no {@code getTextContent} (DOM level 3): the text nodes of a {@code w:t}. */
    private static void appendTextNodes(Node element, StringBuilder text) {
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE || child.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(child.getNodeValue());
            }
        }
    }

    private int headingLevel(XWPFParagraph paragraph) {
        var pPr = paragraph.getCTP().getPPr();
        if (pPr != null && pPr.getOutlineLvl() != null) {
            int outline = pPr.getOutlineLvl().getVal().intValue();
            return outline < 9 ? outline + 1 : 0;
        }
        String styleId = paragraph.getStyleID();
        for (int i = 0; styleId != null && styles != null && i < MAX_STYLE_CHAIN; i++) {
            XWPFStyle style = styles.getStyle(styleId);
            if (style == null) {
                break;
            }
            String name = style.getName() == null
                    ? ""
                    : style.getName().toLowerCase(Locale.ROOT).strip();
            if (name.equals("title")) {
                return 1;
            }
            if (name.matches("heading [1-9]")) {
                return name.charAt(8) - '0';
            }
            CTPPrGeneral stylePPr = style.getCTStyle().getPPr();
            if (stylePPr != null && stylePPr.getOutlineLvl() != null) {
                int outline = stylePPr.getOutlineLvl().getVal().intValue();
                return outline < 9 ? outline + 1 : 0;
            }
            styleId = style.getBasisStyleID();
        }
        return 0;
    }

    /** Nesting depth from 1 of a numbered or bulleted paragraph, 0 when it is not in a list. */
    private int listLevel(XWPFParagraph paragraph) {
        var pPr = paragraph.getCTP().getPPr();
        CTNumPr numPr = pPr == null ? null : pPr.getNumPr();
        String styleId = paragraph.getStyleID();
        for (int i = 0; numPr == null && styleId != null && styles != null && i < MAX_STYLE_CHAIN; i++) {
            XWPFStyle style = styles.getStyle(styleId);
            if (style == null) {
                break;
            }
            CTPPrGeneral stylePPr = style.getCTStyle().getPPr();
            numPr = stylePPr == null ? null : stylePPr.getNumPr();
            styleId = style.getBasisStyleID();
        }
        if (numPr == null || numPr.getNumId() == null || value(numPr.getNumId()) == 0) {
            return 0;
        }
        return Math.min(value(numPr.getIlvl()), 8) + 1;
    }

    private static int value(CTDecimalNumber number) {
        if (number == null) {
            return 0;
        }
        BigInteger value = number.getVal();
        return value == null
                ? 0
                : value.min(BigInteger.valueOf(1000)).max(BigInteger.ZERO).intValue();
    }

    private void table(XWPFTable table, int depth) {
        if (depth > limits.maxNestingDepth()) {
            extraction.drop("table", 1, "limit_exceeded");
            return;
        }
        List<XWPFTableRow> rows = table.getRows();
        List<List<Slot>> slots = new ArrayList<>();
        for (XWPFTableRow row : rows) {
            List<Slot> rowSlots = new ArrayList<>();
            int column = 0;
            for (XWPFTableCell cell : row.getTableCells()) {
                CTTcPr properties = cell.getCTTc().getTcPr();
                int span = 1;
                Merge merge = Merge.NONE;
                if (properties != null) {
                    if (properties.getGridSpan() != null) {
                        span = Math.max(1, Math.min(TableGrid.MAX_SPAN, value(properties.getGridSpan())));
                    }
                    if (properties.getVMerge() != null) {
                        merge = properties.getVMerge().getVal() == STMerge.RESTART ? Merge.START : Merge.CONTINUE;
                    }
                }
                rowSlots.add(new Slot(cell, column, span, merge));
                column += span;
            }
            slots.add(rowSlots);
        }
        List<List<TableGrid.Cell>> cells = new ArrayList<>();
        for (int r = 0; r < slots.size(); r++) {
            List<TableGrid.Cell> row = new ArrayList<>();
            boolean header = rows.get(r).isRepeatHeader();
            for (Slot slot : slots.get(r)) {
                if (slot.merge() == Merge.CONTINUE) {
                    continue;
                }
                int rowspan = 1;
                if (slot.merge() == Merge.START) {
                    while (r + rowspan < slots.size() && continues(slots.get(r + rowspan), slot.column())) {
                        rowspan++;
                    }
                }
                row.add(new TableGrid.Cell(
                        CanonicalDocumentBuilder.normalizeInline(cellText(slot.cell(), depth)),
                        rowspan,
                        slot.span(),
                        header));
            }
            cells.add(row);
        }
        tableCellsUsed += extraction.addTable(cells, limits.maxTableCells() - tableCellsUsed);
    }

    private static boolean continues(List<Slot> row, int column) {
        for (Slot slot : row) {
            if (slot.column() == column) {
                return slot.merge() == Merge.CONTINUE;
            }
        }
        return false;
    }

    private String cellText(XWPFTableCell cell, int depth) {
        StringBuilder text = new StringBuilder();
        for (IBodyElement element : cell.getBodyElements()) {
            switch (element) {
                case XWPFParagraph paragraph ->
                    text.append(paragraphText(paragraph)).append(' ');
                case XWPFTable nested -> {
                    if (depth + 1 > limits.maxNestingDepth()) {
                        extraction.drop("table", 1, "limit_exceeded");
                    } else {
                        for (XWPFTableRow row : nested.getRows()) {
                            for (XWPFTableCell nestedCell : row.getTableCells()) {
                                text.append(cellText(nestedCell, depth + 1)).append(' ');
                            }
                        }
                    }
                }
                case XWPFSDT sdt -> text.append(sdt.getContent().getText()).append(' ');
                default -> {}
            }
        }
        return text.toString();
    }

    private void furniture(XWPFDocument document) {
        Set<String> seen = new LinkedHashSet<>();
        for (XWPFHeader header : document.getHeaderList()) {
            furnitureLine(seen, Furniture.Kind.PAGE_HEADER, header.getText());
        }
        for (XWPFFooter footer : document.getFooterList()) {
            furnitureLine(seen, Furniture.Kind.PAGE_FOOTER, footer.getText());
        }
    }

    private void furnitureLine(Set<String> seen, Furniture.Kind kind, String text) {
        if (text != null && !text.isBlank() && seen.add(kind + text.strip())) {
            extraction.furniture.add(new Extraction.FurnitureLine(1, kind, text.strip()));
        }
    }

    private enum Merge {
        NONE,
        START,
        CONTINUE
    }

    private record Slot(XWPFTableCell cell, int column, int span, Merge merge) {}
}
