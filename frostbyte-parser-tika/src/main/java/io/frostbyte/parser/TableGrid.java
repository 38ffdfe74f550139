package io.frostbyte.parser;

import io.frostbyte.core.document.MergedCell;
import io.frostbyte.core.document.Table;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Lays HTML-style rows of cells (with rowspan/colspan) out on a full grid: a merged cell's text in its top-left
 * position, {@code ""} in the positions it covers. Spans are clipped to the table and to the cell budget.
 */
final class TableGrid {
    static final int MAX_SPAN = 1000;

    record Cell(String text, int rowspan, int colspan, boolean header) {}

    private TableGrid() {}

    /**
     * @param cellBudget grid positions still allowed in this document; rows that would exceed it are cut off
     * @return null when no row fits or the rows hold no cells
     */
    static Laid layout(List<List<Cell>> rows, long cellBudget) {
        int rowCount = rows.size();
        List<List<Integer>> columnsOf = new ArrayList<>();
        List<BitSet> occupied = new ArrayList<>();
        for (int r = 0; r < rowCount; r++) {
            occupied.add(new BitSet());
        }
        List<MergedCell> merged = new ArrayList<>();
        int columns = 0;
        for (int r = 0; r < rowCount; r++) {
            List<Integer> positions = new ArrayList<>();
            int c = 0;
            for (Cell cell : rows.get(r)) {
                while (occupied.get(r).get(c)) {
                    c++;
                }
                int rowspan = Math.min(Math.max(cell.rowspan(), 1), Math.min(MAX_SPAN, rowCount - r));
                int colspan = Math.min(Math.max(cell.colspan(), 1), MAX_SPAN);
                for (int dr = 0; dr < rowspan; dr++) {
                    occupied.get(r + dr).set(c, c + colspan);
                }
                if (rowspan > 1 || colspan > 1) {
                    merged.add(new MergedCell(r, c, rowspan, colspan));
                }
                positions.add(c);
                c += colspan;
            }
            columns = Math.max(columns, occupied.get(r).length());
            columnsOf.add(positions);
        }
        if (columns == 0) {
            return null;
        }
        int keptRows = (int) Math.min(rowCount, cellBudget / columns);
        if (keptRows == 0) {
            return new Laid(null, (long) rowCount * columns);
        }
        List<List<String>> grid = new ArrayList<>();
        for (int r = 0; r < keptRows; r++) {
            String[] row = new String[columns];
            java.util.Arrays.fill(row, "");
            List<Cell> cells = rows.get(r);
            for (int i = 0; i < cells.size(); i++) {
                row[columnsOf.get(r).get(i)] = cells.get(i).text();
            }
            grid.add(List.of(row));
        }
        int headerRows = 0;
        while (headerRows < keptRows - 1
                && !rows.get(headerRows).isEmpty()
                && rows.get(headerRows).stream().allMatch(Cell::header)) {
            headerRows++;
        }
        List<MergedCell> kept = new ArrayList<>();
        for (MergedCell cell : merged) {
            if (cell.row() < keptRows) {
                int rowsInside = Math.min(cell.rows(), keptRows - cell.row());
                if (rowsInside > 1 || cell.columns() > 1) {
                    kept.add(new MergedCell(cell.row(), cell.column(), rowsInside, cell.columns()));
                }
            }
        }
        long droppedCells = (long) (rowCount - keptRows) * columns;
        return new Laid(new Table(headerRows, grid, kept), droppedCells);
    }

    /** @param table null when nothing fitted the budget */
    record Laid(Table table, long droppedCells) {}
}
