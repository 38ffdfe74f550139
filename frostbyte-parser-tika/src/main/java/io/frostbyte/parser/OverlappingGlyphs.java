package io.frostbyte.parser;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * PDFBox's suppression of duplicate overlapping text ({@code PDFTextStripper.setSuppressDuplicateOverlappingText}),
 * with the same result and a cheaper lookup. Some PDFs fake bold by drawing each glyph twice at a tiny offset; a glyph
 * is dropped when a glyph with the same text was already shown on the page at a position whose x lies in {@code [x -
 * tolerance, x + tolerance)} and whose y lies in {@code [y - tolerance, y + tolerance)}, where the tolerance is a third
 * of the glyph's width per character. Ranges, ordering and equality are those of PDFBox's {@code TreeMap<Float,
 * TreeSet<Float>>} ({@link Float#compare}), including the {@link IllegalArgumentException} its {@code subMap} and
 * {@code subSet} throw for a range whose start lies after its end. Instead of a tree per text, shown glyphs sit in a
 * hash grid of {@value #CELL}-point cells keyed by text and cell, so a lookup visits the one to four cells around the
 * glyph; a glyph too large for the grid, or with coordinates outside it, is compared with every glyph of its text.
 * Call {@link #reset} at the start of every page.
 */
final class OverlappingGlyphs {
    /** The side of a grid cell, in points. */
    private static final float CELL = 8f;
    /** Coordinates at or beyond this magnitude (or not finite) stay out of the grid. */
    private static final float GRID_LIMIT = 1e7f;
    /** A lookup spanning more cells than this scans all glyphs of its text instead. */
    private static final int MAX_CELLS = 16;

    private final Map<String, Integer> ids = new HashMap<>();
    /** Per text id, the index of its most recently shown glyph, or -1. */
    private int[] textHead = new int[64];

    private float[] xs = new float[256];
    private float[] ys = new float[256];
    /** Per glyph, the previous glyph of the same text, or -1. */
    private int[] nextOfText = new int[256];
    /** Per glyph, the previous glyph of the same text in the same cell, or -1. */
    private int[] nextInCell = new int[256];

    private int glyphs;

    /** Open-addressed cell table: occupied when its stamp equals {@link #generation}. */
    private int[] cellStamp = new int[512];

    private int[] cellText = new int[512];
    private int[] cellX = new int[512];
    private int[] cellY = new int[512];
    private int[] cellHead = new int[512];
    private int cells;
    private int generation = 1;

    /** Forgets all glyphs shown so far: a new page. */
    void reset() {
        ids.clear();
        glyphs = 0;
        cells = 0;
        generation++;
        if (generation == Integer.MAX_VALUE) {
            Arrays.fill(cellStamp, 0);
            generation = 1;
        }
    }

    /**
     * Whether the glyph is shown; when it is, it is remembered for the glyphs that follow on the page.
     *
     * @param text the glyph's unicode text ({@code TextPosition.getUnicode()})
     * @param x {@code TextPosition.getX()}
     * @param y {@code TextPosition.getY()}
     * @param width {@code TextPosition.getWidth()}
     * @throws IllegalArgumentException where PDFBox's tree lookup throws it (a negative tolerance)
     */
    boolean shows(String text, float x, float y, float width) {
        Integer known = ids.get(text);
        float tolerance = width / text.length() / 3.0f;
        float xLow = x - tolerance;
        float xHigh = x + tolerance;
        float yLow = y - tolerance;
        float yHigh = y + tolerance;
        if (Float.compare(xLow, xHigh) > 0) {
            throw new IllegalArgumentException("fromKey > toKey");
        }
        int id;
        if (known == null) {
            id = ids.size();
            ids.put(text, id);
            if (id == textHead.length) {
                textHead = Arrays.copyOf(textHead, id * 2);
            }
            textHead[id] = -1;
        } else {
            id = known;
            if (Float.compare(xLow, xHigh) != 0 && overlaps(id, xLow, xHigh, yLow, yHigh)) {
                return false;
            }
        }
        add(id, x, y);
        return true;
    }

    private boolean overlaps(int id, float xLow, float xHigh, float yLow, float yHigh) {
        int yOrder = Float.compare(yLow, yHigh);
        if (yOrder == 0) {
            return false; // an empty y range: nothing matches and PDFBox's subSet does not throw
        }
        if (yOrder < 0 && inGrid(xLow) && inGrid(xHigh) && inGrid(yLow) && inGrid(yHigh)) {
            int cx0 = cell(xLow);
            int cx1 = cell(xHigh);
            int cy0 = cell(yLow);
            int cy1 = cell(yHigh);
            if ((long) (cx1 - cx0 + 1) * (cy1 - cy0 + 1) <= MAX_CELLS) {
                for (int cx = cx0; cx <= cx1; cx++) {
                    for (int cy = cy0; cy <= cy1; cy++) {
                        int slot = find(id, cx, cy);
                        if (cellStamp[slot] != generation) {
                            continue;
                        }
                        for (int g = cellHead[slot]; g >= 0; g = nextInCell[g]) {
                            if (within(xs[g], xLow, xHigh) && within(ys[g], yLow, yHigh)) {
                                return true;
                            }
                        }
                    }
                }
                return false;
            }
        }
        for (int g = textHead[id]; g >= 0; g = nextOfText[g]) {
            if (within(xs[g], xLow, xHigh)) {
                if (yOrder > 0) {
                    throw new IllegalArgumentException("fromKey > toKey");
                }
                if (within(ys[g], yLow, yHigh)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void add(int id, float x, float y) {
        if (glyphs == xs.length) {
            int capacity = glyphs * 2;
            xs = Arrays.copyOf(xs, capacity);
            ys = Arrays.copyOf(ys, capacity);
            nextOfText = Arrays.copyOf(nextOfText, capacity);
            nextInCell = Arrays.copyOf(nextInCell, capacity);
        }
        int g = glyphs++;
        xs[g] = x;
        ys[g] = y;
        nextOfText[g] = textHead[id];
        textHead[id] = g;
        nextInCell[g] = -1;
        if (inGrid(x) && inGrid(y)) {
            if ((cells + 1) * 2 > cellStamp.length) {
                growCells();
            }
            int cx = cell(x);
            int cy = cell(y);
            int slot = find(id, cx, cy);
            if (cellStamp[slot] != generation) {
                cellStamp[slot] = generation;
                cellText[slot] = id;
                cellX[slot] = cx;
                cellY[slot] = cy;
                cellHead[slot] = -1;
                cells++;
            }
            nextInCell[g] = cellHead[slot];
            cellHead[slot] = g;
        }
    }

    /** The slot holding the cell, or the empty slot where it belongs. */
    private int find(int id, int cx, int cy) {
        int mask = cellStamp.length - 1;
        int slot = hash(id, cx, cy) & mask;
        while (cellStamp[slot] == generation && (cellText[slot] != id || cellX[slot] != cx || cellY[slot] != cy)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void growCells() {
        int[] oldStamp = cellStamp;
        int[] oldText = cellText;
        int[] oldX = cellX;
        int[] oldY = cellY;
        int[] oldHead = cellHead;
        int capacity = oldStamp.length * 2;
        cellStamp = new int[capacity];
        cellText = new int[capacity];
        cellX = new int[capacity];
        cellY = new int[capacity];
        cellHead = new int[capacity];
        int current = generation;
        generation = 1;
        for (int i = 0; i < oldStamp.length; i++) {
            if (oldStamp[i] == current) {
                int slot = find(oldText[i], oldX[i], oldY[i]);
                cellStamp[slot] = generation;
                cellText[slot] = oldText[i];
                cellX[slot] = oldX[i];
                cellY[slot] = oldY[i];
                cellHead[slot] = oldHead[i];
            }
        }
    }

    private static int hash(int id, int cx, int cy) {
        int h = id * 0x9E3779B1 + cx * 0x85EBCA6B + cy * 0xC2B2AE35;
        return h ^ (h >>> 15);
    }

    private static boolean inGrid(float value) {
        return Math.abs(value) < GRID_LIMIT; // false for NaN and infinities
    }

    /** Monotonic in the value: a value inside a range lies in a cell between those of the range's ends. */
    private static int cell(float value) {
        return (int) Math.floor(value / (double) CELL);
    }

    /** {@code low <= value < high} in the order of {@link Float#compare}, as a {@code TreeMap<Float, ?>} sub-range. */
    private static boolean within(float value, float low, float high) {
        return Float.compare(value, low) >= 0 && Float.compare(value, high) < 0;
    }
}
