package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A table's full grid (spec/02 §2.3): a merged cell's text sits in its top-left position and {@code ""} in the
 * positions it covers. Cell texts are single-line.
 *
 * @param headerRows leading rows that are headers (0 or more)
 * @param cells {@code rows x columns} texts
 * @param merged merged cells, sorted by row then column
 */
public record Table(int headerRows, List<List<String>> cells, List<MergedCell> merged) {
    static final String CELL_SEPARATOR = " | ";

    public Table {
        requireNonNull(cells, "cells is null");
        requireNonNull(merged, "merged is null");
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("a table has at least one row");
        }
        int columns = cells.getFirst().size();
        if (columns == 0) {
            throw new IllegalArgumentException("a table has at least one column");
        }
        List<List<String>> copy = new ArrayList<>(cells.size());
        for (int row = 0; row < cells.size(); row++) {
            List<String> cellRow = List.copyOf(cells.get(row));
            if (cellRow.size() != columns) {
                throw new IllegalArgumentException(
                        "row " + row + " has " + cellRow.size() + " cells, expected " + columns);
            }
            for (String cell : cellRow) {
                if (cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("cell text must be single-line in row " + row);
                }
            }
            copy.add(cellRow);
        }
        cells = List.copyOf(copy);
        if (headerRows < 0 || headerRows > cells.size()) {
            throw new IllegalArgumentException("header rows out of range: " + headerRows);
        }
        for (MergedCell cell : merged) {
            if (cell.row() + cell.rows() > cells.size() || cell.column() + cell.columns() > columns) {
                throw new IllegalArgumentException("merged cell outside the grid: " + cell);
            }
        }
        merged = merged.stream()
                .sorted(Comparator.comparingInt(MergedCell::row).thenComparingInt(MergedCell::column))
                .toList();
    }

    public int rows() {
        return cells.size();
    }

    public int columns() {
        return cells.getFirst().size();
    }

    /** One line per row, cells joined by {@code " | "}, header rows first. */
    public List<String> rowTexts() {
        return cells.stream().map(row -> String.join(CELL_SEPARATOR, row)).toList();
    }

    /** The table block's text: {@link #rowTexts()} joined by {@code "\n"}. */
    public String text() {
        return String.join("\n", rowTexts());
    }
}
