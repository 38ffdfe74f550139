package io.frostbyte.core.document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code structured.json} (spec/02 §2.3) of a {@link CanonicalDocument}, canonicalized with {@link CanonicalJson}:
 * sorted keys, no whitespace, no timestamps, so equal documents give byte-identical JSON (PAR-2).
 */
public final class CanonicalDocumentJson {
    private CanonicalDocumentJson() {}

    public static String write(CanonicalDocument document) {
        return CanonicalJson.write(tree(document));
    }

    static Map<String, Object> tree(CanonicalDocument document) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema_version", CanonicalDocument.SCHEMA_VERSION);
        root.put("doc_id", document.docId().value());
        root.put("tenant_id", document.tenantId().value());
        root.put("mime_type", document.mimeType());

        List<Object> pages = new ArrayList<>();
        for (Page page : document.pages()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("page", page.page());
            item.put("start_char", page.startChar());
            item.put("end_char", page.endChar());
            item.put("source", page.source());
            item.put("ocr_confidence", page.ocrConfidence());
            pages.add(item);
        }
        root.put("pages", pages);

        Map<String, String> sectionOfBlock = document.sectionOfBlock();
        List<Object> blocks = new ArrayList<>();
        List<Object> tables = new ArrayList<>();
        List<Object> readingOrder = new ArrayList<>();
        for (Block block : document.blocks()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("block_id", block.blockId());
            item.put("type", block.type().wireName());
            item.put("text", block.text());
            item.put("page", block.page());
            item.put("page_end", block.pageEnd());
            item.put("start_char", block.startChar());
            item.put("end_char", block.endChar());
            item.put("section_id", sectionOfBlock.get(block.blockId()));
            if (block.type().hasLevel()) {
                item.put("level", block.level());
            }
            if (block.table() != null) {
                String tableId = "t%03d".formatted(tables.size() + 1);
                item.put("table_id", tableId);
                tables.add(table(tableId, block));
            }
            blocks.add(item);
            readingOrder.add(block.blockId());
        }
        root.put("blocks", blocks);
        root.put("tables", tables);
        root.put("figures", List.of());
        root.put("reading_order", readingOrder);

        List<Object> sections = new ArrayList<>();
        for (Section section : document.sections()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("section_id", section.sectionId());
            item.put("title", section.title());
            item.put("level", section.level());
            item.put("parent_id", section.parentId());
            item.put("page", section.page());
            item.put("start_char", section.startChar());
            item.put("end_char", section.endChar());
            sections.add(item);
        }
        root.put("sections", sections);

        List<Object> furniture = new ArrayList<>();
        for (Furniture piece : document.furniture()) {
            furniture.add(Map.of("page", piece.page(), "kind", piece.kind().wireName(), "text", piece.text()));
        }
        root.put("furniture", furniture);
        Map<String, Object> metadata = new LinkedHashMap<>(document.metadata());
        if (!document.attachments().isEmpty()) {
            List<Object> attachments = new ArrayList<>();
            for (Attachment attachment : document.attachments()) {
                attachments.add(Map.of(
                        "filename",
                        attachment.filename(),
                        "mime_type",
                        attachment.mimeType(),
                        "size_bytes",
                        attachment.sizeBytes()));
            }
            metadata.put("attachments", attachments);
        }
        root.put("metadata", metadata);

        Lineage lineage = document.lineage();
        Map<String, Object> lineageTree = new LinkedHashMap<>();
        lineageTree.put("raw_sha256", lineage.rawSha256());
        lineageTree.put("parser", lineage.parser());
        lineageTree.put("parser_version", lineage.parserVersion());
        lineageTree.put("parse_config_sha256", lineage.parseConfigSha256());
        lineageTree.put("engine_version", lineage.engineVersion());
        lineageTree.put("canonical_text_sha256", lineage.canonicalTextSha256());
        lineageTree.put("ocr_engine", lineage.ocrEngine());
        root.put("lineage", lineageTree);

        DocumentStats stats = document.stats();
        Map<String, Object> statsTree = new LinkedHashMap<>();
        statsTree.put("page_count", stats.pageCount());
        statsTree.put("section_count", stats.sectionCount());
        statsTree.put("table_count", stats.tableCount());
        statsTree.put("figure_count", 0);
        statsTree.put("block_count", stats.blockCount());
        statsTree.put("total_characters", stats.totalCharacters());
        statsTree.put("ocr_pages", stats.ocrPages());
        statsTree.put("ocr_avg_confidence", stats.ocrAverageConfidence());
        statsTree.put("low_ocr_confidence_pages", stats.lowOcrConfidencePages());
        statsTree.put("tracked_changes", stats.trackedChanges());
        statsTree.put("source_encoding", stats.sourceEncoding());
        List<Object> dropped = new ArrayList<>();
        for (DroppedContent content : stats.droppedContent()) {
            dropped.add(Map.of(
                    "element_type",
                    content.elementType(),
                    "page",
                    content.page(),
                    "reason",
                    content.reason(),
                    "count",
                    content.count()));
        }
        statsTree.put("dropped_content", dropped);
        statsTree.put("warnings", stats.warnings());
        root.put("stats", statsTree);
        return root;
    }

    private static Map<String, Object> table(String tableId, Block block) {
        Table table = block.table();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("table_id", tableId);
        item.put("block_id", block.blockId());
        item.put("page", block.page());
        item.put("rows", table.rows());
        item.put("columns", table.columns());
        item.put("header_rows", table.headerRows());
        item.put("cells", table.cells());
        List<Object> merged = new ArrayList<>();
        for (MergedCell cell : table.merged()) {
            merged.add(
                    Map.of("row", cell.row(), "column", cell.column(), "rows", cell.rows(), "columns", cell.columns()));
        }
        item.put("merged", merged);
        List<Object> rowOffsets = new ArrayList<>();
        int start = block.startChar();
        for (String row : table.rowTexts()) {
            int end = start + row.codePointCount(0, row.length());
            rowOffsets.add(List.of(start, end));
            start = end + 1;
        }
        item.put("row_offsets", rowOffsets);
        item.put("start_char", block.startChar());
        item.put("end_char", block.endChar());
        return item;
    }
}
