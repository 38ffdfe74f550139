package io.frostbyte.core.document;

import io.frostbyte.core.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code structured.json} (spec/02 §2.3) of a {@link CanonicalDocument}, canonicalized with {@link CanonicalJson}:
 * sorted keys, no whitespace, no timestamps, so equal documents give byte-identical JSON (PAR-2).
 */
public final class CanonicalDocumentJson {
    private CanonicalDocumentJson() {}

    public static String write(CanonicalDocument document) {
        return CanonicalJson.write(tree(document));
    }

    /**
     * The document a {@code structured.json} describes: the exact inverse of {@link #write}, so {@code
     * write(read(write(d)))} equals {@code write(d)}. Derived parts (sections, reading order, table ids, row offsets)
     * are rebuilt from the blocks, as {@link #write} derives them. Fails with {@link IllegalArgumentException} on JSON
     * that is not a canonical document of this schema version.
     */
    public static CanonicalDocument read(String json) {
        try {
            return document(map(JsonReader.read(json)));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not a canonical document: " + e.getMessage(), e);
        }
    }

    private static CanonicalDocument document(Map<String, Object> root) {
        if (!CanonicalDocument.SCHEMA_VERSION.equals(root.get("schema_version"))) {
            throw new IllegalArgumentException("unknown schema_version " + root.get("schema_version"));
        }
        TenantId tenantId = TenantId.of(string(root, "tenant_id"));
        List<Page> pages = new ArrayList<>();
        for (Object item : list(root, "pages")) {
            Map<String, Object> page = map(item);
            String source = string(page, "source");
            if (!source.equals("ocr") && !source.equals("text")) {
                throw new IllegalArgumentException("unknown page source " + source);
            }
            pages.add(new Page(
                    integer(page, "page"),
                    integer(page, "start_char"),
                    integer(page, "end_char"),
                    source.equals("ocr"),
                    decimal(page, "ocr_confidence")));
        }
        Map<String, Map<String, Object>> tables = new HashMap<>();
        for (Object item : list(root, "tables")) {
            Map<String, Object> table = map(item);
            tables.put(string(table, "table_id"), table);
        }
        List<Block> blocks = new ArrayList<>();
        for (Object item : list(root, "blocks")) {
            Map<String, Object> block = map(item);
            BlockType type = blockType(string(block, "type"));
            Table table = null;
            if (block.get("table_id") != null) {
                Map<String, Object> tree = tables.get(string(block, "table_id"));
                if (tree == null) {
                    throw new IllegalArgumentException("unknown table " + block.get("table_id"));
                }
                table = table(tree);
            }
            blocks.add(new Block(
                    string(block, "block_id"),
                    type,
                    type.hasLevel() ? integer(block, "level") : 0,
                    string(block, "text"),
                    integer(block, "page"),
                    integer(block, "page_end"),
                    integer(block, "start_char"),
                    integer(block, "end_char"),
                    table));
        }
        List<Furniture> furniture = new ArrayList<>();
        for (Object item : list(root, "furniture")) {
            Map<String, Object> piece = map(item);
            furniture.add(
                    new Furniture(integer(piece, "page"), furnitureKind(string(piece, "kind")), string(piece, "text")));
        }
        TreeMap<String, String> metadata = new TreeMap<>();
        List<Attachment> attachments = new ArrayList<>();
        for (Map.Entry<String, Object> entry : map(root.get("metadata")).entrySet()) {
            if (entry.getKey().equals("attachments") && entry.getValue() instanceof List<?> items) {
                for (Object item : items) {
                    Map<String, Object> attachment = map(item);
                    attachments.add(new Attachment(
                            string(attachment, "filename"),
                            string(attachment, "mime_type"),
                            number(attachment, "size_bytes")));
                }
            } else {
                metadata.put(entry.getKey(), (String) entry.getValue());
            }
        }
        Map<String, Object> lineage = map(root.get("lineage"));
        Lineage lineageRecord = new Lineage(
                string(lineage, "raw_sha256"),
                string(lineage, "parser"),
                string(lineage, "parser_version"),
                string(lineage, "parse_config_sha256"),
                string(lineage, "engine_version"),
                string(lineage, "canonical_text_sha256"),
                (String) lineage.get("ocr_engine"));
        Map<String, Object> stats = map(root.get("stats"));
        List<DroppedContent> dropped = new ArrayList<>();
        for (Object item : list(stats, "dropped_content")) {
            Map<String, Object> content = map(item);
            dropped.add(new DroppedContent(
                    string(content, "element_type"),
                    integer(content, "page"),
                    string(content, "reason"),
                    number(content, "count")));
        }
        List<String> warnings = new ArrayList<>();
        for (Object warning : list(stats, "warnings")) {
            warnings.add((String) requireValue(warning));
        }
        List<Integer> lowPages = new ArrayList<>();
        for (Object page : list(stats, "low_ocr_confidence_pages")) {
            lowPages.add(Math.toIntExact((Long) requireValue(page)));
        }
        DocumentStats statsRecord = new DocumentStats(
                integer(stats, "page_count"),
                integer(stats, "section_count"),
                integer(stats, "table_count"),
                integer(stats, "block_count"),
                number(stats, "total_characters"),
                (String) stats.get("source_encoding"),
                dropped,
                warnings,
                integer(stats, "ocr_pages"),
                decimal(stats, "ocr_avg_confidence"),
                lowPages,
                integer(stats, "tracked_changes"));
        CanonicalDocument document = new CanonicalDocument(
                DocId.of(tenantId, lineageRecord.rawSha256()),
                tenantId,
                string(root, "mime_type"),
                pages,
                blocks,
                furniture,
                metadata,
                lineageRecord,
                statsRecord,
                attachments);
        if (!document.docId().value().equals(root.get("doc_id"))) {
            throw new IllegalArgumentException("doc_id does not derive from tenant_id and raw_sha256");
        }
        return document;
    }

    private static Table table(Map<String, Object> tree) {
        List<List<String>> cells = new ArrayList<>();
        for (Object row : list(tree, "cells")) {
            List<String> cellRow = new ArrayList<>();
            for (Object cell : (List<?>) requireValue(row)) {
                cellRow.add((String) requireValue(cell));
            }
            cells.add(cellRow);
        }
        List<MergedCell> merged = new ArrayList<>();
        for (Object item : list(tree, "merged")) {
            Map<String, Object> cell = map(item);
            merged.add(new MergedCell(
                    integer(cell, "row"), integer(cell, "column"), integer(cell, "rows"), integer(cell, "columns")));
        }
        return new Table(integer(tree, "header_rows"), cells, merged);
    }

    private static BlockType blockType(String wireName) {
        for (BlockType type : BlockType.values()) {
            if (type.wireName().equals(wireName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown block type " + wireName);
    }

    private static Furniture.Kind furnitureKind(String wireName) {
        for (Furniture.Kind kind : Furniture.Kind.values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown furniture kind " + wireName);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) requireValue(value);
    }

    private static List<?> list(Map<String, Object> map, String key) {
        return (List<?>) requireValue(map.get(key));
    }

    private static String string(Map<String, Object> map, String key) {
        return (String) requireValue(map.get(key));
    }

    private static long number(Map<String, Object> map, String key) {
        return (Long) requireValue(map.get(key));
    }

    private static int integer(Map<String, Object> map, String key) {
        return Math.toIntExact(number(map, key));
    }

    /** A decimal or null; integral decimals are written without a fraction (1, not 1.0). */
    private static Double decimal(Map<String, Object> map, String key) {
        return switch (map.get(key)) {
            case null -> null;
            case Long number -> number.doubleValue();
            case Double number -> number;
            default -> throw new IllegalArgumentException(key + " is not a number");
        };
    }

    private static Object requireValue(Object value) {
        if (value == null) {
            throw new IllegalArgumentException("a required value is missing");
        }
        return value;
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
