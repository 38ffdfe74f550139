package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.ParseLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.sl.usermodel.Placeholder;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFGraphicFrame;
import org.apache.poi.xslf.usermodel.XSLFGroupShape;
import org.apache.poi.xslf.usermodel.XSLFNotes;
import org.apache.poi.xslf.usermodel.XSLFPictureShape;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableCell;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextParagraph;
import org.apache.poi.xslf.usermodel.XSLFTextShape;

/**
 * PPTX through POI (spec/02 §2.2): each slide is a page and a section whose heading (level 1) is the slide title;
 * text shapes give paragraphs, bulleted or indented paragraphs list items with their indent level; tables with
 * merged cells; speaker notes as paragraphs; pictures and charts dropped. Groups deeper than the nesting limit are
 * dropped.
 */
final class PptxReader {
    private final ParseLimits limits;
    private final Extraction extraction = new Extraction();
    private long tableCellsUsed;
    private int page;

    private PptxReader(ParseLimits limits) {
        this.limits = limits;
    }

    static Extraction read(byte[] bytes, ParseLimits limits) throws IOException {
        PptxReader reader = new PptxReader(limits);
        try (XMLSlideShow show = new XMLSlideShow(new ByteArrayInputStream(bytes))) {
            List<XSLFSlide> slides = show.getSlides();
            for (XSLFSlide slide : slides) {
                reader.page++;
                if (reader.page > limits.maxPages()) {
                    reader.extraction.drop("page", reader.page, "limit_exceeded");
                    break;
                }
                reader.slide(slide);
            }
            reader.extraction.pageCount = Math.max(1, Math.min(slides.size(), limits.maxPages()));
            POIXMLProperties.CoreProperties core = show.getProperties().getCoreProperties();
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

    private void slide(XSLFSlide slide) {
        List<XSLFShape> shapes = slide.getShapes();
        XSLFTextShape title = null;
        for (XSLFShape shape : shapes) {
            if (shape instanceof XSLFTextShape text
                    && isTitle(text)
                    && !text.getText().isBlank()) {
                title = text;
                break;
            }
        }
        if (title != null) {
            extraction.blocks.add(RawBlock.text(BlockType.HEADING, 1, title.getText(), page, page));
        }
        for (XSLFShape shape : shapes) {
            if (shape != title) {
                shape(shape, 1);
            }
        }
        XSLFNotes notes = slide.getNotes();
        if (notes != null) {
            for (XSLFShape shape : notes.getShapes()) {
                if (shape instanceof XSLFTextShape text && isNotesBody(text)) {
                    for (XSLFTextParagraph paragraph : text.getTextParagraphs()) {
                        add(BlockType.PARAGRAPH, 0, paragraph.getText());
                    }
                }
            }
        }
    }

    private static boolean isTitle(XSLFTextShape shape) {
        Placeholder placeholder = shape.getTextType();
        return placeholder == Placeholder.TITLE || placeholder == Placeholder.CENTERED_TITLE;
    }

    private static boolean isNotesBody(XSLFTextShape shape) {
        Placeholder placeholder = shape.getTextType();
        return placeholder == Placeholder.BODY;
    }

    private void shape(XSLFShape shape, int depth) {
        if (depth > limits.maxNestingDepth()) {
            extraction.drop("shape", page, "limit_exceeded");
            return;
        }
        switch (shape) {
            case XSLFTextShape text -> {
                for (XSLFTextParagraph paragraph : text.getTextParagraphs()) {
                    boolean listed = paragraph.isBullet() || paragraph.getAutoNumberingScheme() != null;
                    if (listed) {
                        add(BlockType.LIST_ITEM, paragraph.getIndentLevel() + 1, paragraph.getText());
                    } else {
                        add(BlockType.PARAGRAPH, 0, paragraph.getText());
                    }
                }
            }
            case XSLFTable table -> table(table);
            case XSLFGroupShape group -> {
                for (XSLFShape child : group.getShapes()) {
                    shape(child, depth + 1);
                }
            }
            case XSLFPictureShape picture -> extraction.drop("image", page, "image_without_text");
            case XSLFGraphicFrame frame -> extraction.drop(frame.hasChart() ? "chart" : "graphic", page, "chart");
            default -> {}
        }
    }

    private void add(BlockType type, int level, String text) {
        if (text != null && !text.isBlank()) {
            extraction.blocks.add(RawBlock.text(type, level, text, page, page));
        }
    }

    private void table(XSLFTable table) {
        List<List<TableGrid.Cell>> rows = new ArrayList<>();
        for (XSLFTableRow row : table.getRows()) {
            List<TableGrid.Cell> cells = new ArrayList<>();
            for (XSLFTableCell cell : row.getCells()) {
                if (cell.isMerged()) {
                    continue;
                }
                String text = cell.getText() == null ? "" : CanonicalDocumentBuilder.normalizeInline(cell.getText());
                cells.add(new TableGrid.Cell(text, cell.getRowSpan(), cell.getGridSpan(), false));
            }
            rows.add(cells);
        }
        TableGrid.Laid laid = TableGrid.layout(rows, limits.maxTableCells() - tableCellsUsed);
        if (laid == null) {
            return;
        }
        if (laid.droppedCells() > 0) {
            extraction.drop("table_cell", page, "limit_exceeded");
        }
        if (laid.table() != null) {
            tableCellsUsed += (long) laid.table().rows() * laid.table().columns();
            extraction.blocks.add(RawBlock.table(laid.table(), page, page));
        }
    }
}
