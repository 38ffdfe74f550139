package io.frostbyte.parser;

import io.frostbyte.core.document.Attachment;
import io.frostbyte.core.document.Furniture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one format reader found: raw blocks in reading order, furniture, dropped content and notes. */
final class Extraction {
    record Drop(String elementType, int page, String reason) {}

    record FurnitureLine(int page, Furniture.Kind kind, String text) {}

    final List<RawBlock> blocks = new ArrayList<>();
    final List<FurnitureLine> furniture = new ArrayList<>();
    final Map<String, Long> dropped = new TreeMap<>();
    final List<String> warnings = new ArrayList<>();
    final Map<Integer, Double> ocrConfidenceOfPage = new TreeMap<>();
    final List<Attachment> attachments = new ArrayList<>();
    /** Document properties read by a format reader; Tika's metadata fills what is missing. */
    final Map<String, String> metadata = new TreeMap<>();

    int pageCount = 1;
    int trackedChanges;
    String sourceEncoding;
    String ocrEngine;

    void drop(String elementType, int page, String reason) {
        dropped.merge(elementType + "\u0000" + page + "\u0000" + reason, 1L, Long::sum);
    }

    /**
     * Lays out a table (page 1) from rows of cells within {@code cellBudget} grid cells, adds it as a block and records
     * its dropped cells; returns the grid cells it takes, 0 when nothing was laid out.
     */
    long addTable(List<List<TableGrid.Cell>> rows, long cellBudget) {
        TableGrid.Laid laid = TableGrid.layout(rows, cellBudget);
        if (laid == null) {
            return 0;
        }
        if (laid.droppedCells() > 0) {
            drop("table_cell", 1, "limit_exceeded");
        }
        if (laid.table() == null) {
            return 0;
        }
        blocks.add(RawBlock.table(laid.table(), 1, 1));
        return (long) laid.table().rows() * laid.table().columns();
    }

    List<Map.Entry<Drop, Long>> drops() {
        List<Map.Entry<Drop, Long>> result = new ArrayList<>();
        dropped.forEach((key, count) -> {
            String[] parts = key.split("\u0000", -1);
            result.add(Map.entry(new Drop(parts[0], Integer.parseInt(parts[1]), parts[2]), count));
        });
        return result;
    }
}
