package io.frostbyte.core.document;

/**
 * A merged cell of a {@link Table}: its top-left position and how many rows and columns it spans.
 *
 * @param row 0-based row of the top-left cell
 * @param column 0-based column of the top-left cell
 * @param rows rows spanned, at least 1
 * @param columns columns spanned, at least 1; {@code rows * columns > 1}
 */
public record MergedCell(int row, int column, int rows, int columns) {
    public MergedCell {
        if (row < 0 || column < 0) {
            throw new IllegalArgumentException("merged cell position must be >= 0: " + row + "," + column);
        }
        if (rows < 1 || columns < 1 || (rows == 1 && columns == 1)) {
            throw new IllegalArgumentException("merged cell must span more than one cell: " + rows + "x" + columns);
        }
    }
}
