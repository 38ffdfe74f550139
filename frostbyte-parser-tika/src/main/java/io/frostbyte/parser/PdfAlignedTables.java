package io.frostbyte.parser;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Tables of one PDF page without ruling lines, from the alignment of their text (spec/02 §2.2). The page's lines are
 * cut into cells at wide horizontal gaps and grouped into rows by their vertical extent; a run of consecutive rows, at
 * most a couple of line heights apart, grows while the vertical strips its cells leave free of text (the gutters)
 * still separate every two cells of each row. Its cells are then assembled as for a ruled table without vertical rules
 * ({@link PdfTables#assemble}). Precision matters more than recall: a run becomes a table only with at least {@link
 * #MIN_ROWS} rows of two or more cells and when {@link #plausible} holds; runs that read as something else stay text:
 * two columns of prose, lists with a hanging indent, key: value forms, tables of contents with dot leaders, justified
 * prose, text in boxes crossed by vertical rules (diagrams) and monospaced code. On a two-column page a table across
 * both columns needs three columns and no prose; each column of the page is then searched on its own, and a table found
 * there with short lines beside it in the other column (part of a wider table) is dropped. Deterministic: lines and
 * rows are ordered by position with ties broken by the input order.
 */
final class PdfAlignedTables {
    /** Rows holding text in two or more columns that a run needs to be a table. */
    static final int MIN_ROWS = 3;
    /** A gap at least this many times the font size between two glyphs separates two cells. */
    private static final float CELL_GAP = 1.2f;
    /** Consecutive rows of a table are at most this many font sizes apart, baseline to baseline. */
    private static final float ROW_STEP = 2.6f;
    /** A gutter between two columns is at least this many points wide. */
    private static final float MIN_GUTTER = 4f;
    /** A column whose cells' median length reaches this many characters holds prose. */
    private static final int PROSE_CELL_CHARACTERS = 40;
    /** A column whose cells' median word count reaches this holds prose. */
    private static final int PROSE_CELL_WORDS = 5;

    private static final Pattern LIST_MARKER = Pattern.compile(
            "^([\\u2022\\u00B7\\u25AA\\u25CF\\u25E6\\u2013\\u2014\\u2043\\-*+o\\uF0B7\\u27A2\\u2713\\u25A0\\u25A1]"
                    + "|\\(?\\d{1,3}[.):]?|\\(?[a-zA-Z][.)]|\\(?[ivxIVX]{1,5}[.)])$");

    /** A list item's opening marker followed by its text: "1. Alprazolam", "(a) Item", "• Point". */
    private static final Pattern LIST_ITEM = Pattern.compile(
            "^([\\u2022\\u00B7\\u25AA\\u25CF\\u25E6\\u2013\\u2043\\-*\\uF0B7]|\\d{1,3}[.)]|[a-z][.)]|\\(\\d{1,3}\\)|\\([a-z]\\))\\s+\\S.*");
    /** Dot leaders at the end of a cell. */
    private static final Pattern LEADER = Pattern.compile("(\\.\\s*){4,}$|\\u2026\\s*$");

    /** A word broken by a hyphen at the end of a cell. */
    private static final Pattern BROKEN_WORD = Pattern.compile("[\\p{L}\\d)]-$");

    /** A piece of a line between wide gaps. */
    private record Cell(float x0, float x1) {}

    /** Lines sharing a vertical band of the page, with their cells left to right. */
    private record Row(List<PdfLayoutReader.Line> lines, List<Cell> cells, float top, float bottom, float size) {}

    private PdfAlignedTables() {}

    /**
     * @param lines the page's body lines not already in a ruled table (lines without glyphs, such as a ruled table's
     *     place holder, end a run)
     */
    static List<PdfTables.Found> detect(
            List<PdfLayoutReader.Line> lines, List<PdfRulings.Segment> segments, float pageWidth) {
        if (lines.size() < MIN_ROWS * 2) {
            return List.of();
        }
        List<PdfTables.Found> found = new ArrayList<>();
        if (PdfLayoutReader.readingOrder(lines, pageWidth) == lines) {
            found.addAll(detectIn(lines, segments, pageWidth, 1));
        } else {
            // a table across both columns first, of three columns or more and no prose, then each column on its own
            List<PdfTables.Found> wide = detectIn(lines, segments, pageWidth, 0).stream()
                    .filter(table -> table.cells().getFirst().size() >= 3)
                    .toList();
            found.addAll(wide);
            List<PdfLayoutReader.Line> rest = new ArrayList<>(lines);
            wide.forEach(table -> rest.removeAll(table.lines()));
            float middle = pageWidth / 2;
            List<PdfLayoutReader.Line> left = new ArrayList<>();
            List<PdfLayoutReader.Line> right = new ArrayList<>();
            List<PdfLayoutReader.Line> spanning = new ArrayList<>();
            for (PdfLayoutReader.Line line : rest) {
                if (line.x1() <= middle + 2) {
                    left.add(line);
                } else if (line.x0() >= middle - 2) {
                    right.add(line);
                } else {
                    spanning.add(line);
                }
            }
            for (List<PdfLayoutReader.Line> part : List.of(left, right, spanning)) {
                for (PdfTables.Found table : detectIn(part, segments, pageWidth, 1)) {
                    if (!continuedBeside(table, rest)) {
                        found.add(table);
                    }
                }
            }
        }
        found.sort(Comparator.comparingDouble(PdfTables.Found::top).thenComparingDouble(PdfTables.Found::x0));
        return found;
    }

    /** @param proseColumns how many columns of prose a table may hold */
    private static List<PdfTables.Found> detectIn(
            List<PdfLayoutReader.Line> lines, List<PdfRulings.Segment> segments, float pageWidth, int proseColumns) {
        List<PdfTables.Found> found = new ArrayList<>();
        List<Row> run = new ArrayList<>();
        for (Row row : rows(lines)) {
            boolean barrier =
                    row.lines().stream().anyMatch(line -> line.glyphs().isEmpty() || line.mono());
            if (!run.isEmpty() && !barrier && fits(run, row)) {
                run.add(row);
                continue;
            }
            PdfTables.Found table = table(run, pageWidth, proseColumns);
            if (table != null && !crossedByRule(table, segments)) {
                found.add(table);
            }
            run = new ArrayList<>();
            if (!barrier && row.cells().size() >= 2) {
                run.add(row);
            }
        }
        PdfTables.Found table = table(run, pageWidth, proseColumns);
        if (table != null && !crossedByRule(table, segments)) {
            found.add(table);
        }
        return found;
    }

    /**
     * Whether half the table's lines or more have a short line (not prose) on the same band outside it: the rest of a
     * table that spans both columns of a two-column page, which must not be cut in two.
     */
    private static boolean continuedBeside(PdfTables.Found table, List<PdfLayoutReader.Line> lines) {
        int beside = 0;
        for (PdfLayoutReader.Line line : table.lines()) {
            for (PdfLayoutReader.Line other : lines) {
                if ((other.x1() < table.x0() || other.x0() > table.x1())
                        && other.top() < line.bottom()
                        && line.top() < other.bottom()
                        && other.text().strip().split("\\s+").length < PROSE_CELL_WORDS) {
                    beside++;
                    break;
                }
            }
        }
        return beside * 2 >= table.lines().size();
    }

    /**
     * Whether a vertical rule runs through the table's area: text in drawn boxes (a diagram) or a ruled table the rules
     * did not make out, not an unruled table.
     */
    private static boolean crossedByRule(PdfTables.Found table, List<PdfRulings.Segment> segments) {
        for (PdfRulings.Segment segment : segments) {
            if (!segment.horizontal()
                    && segment.x0() > table.x0() + 1
                    && segment.x0() < table.x1() - 1
                    && Math.min(Math.max(segment.y0(), segment.y1()), table.bottom())
                                    - Math.max(Math.min(segment.y0(), segment.y1()), table.top())
                            > 4) {
                return true;
            }
        }
        return false;
    }

    /** The lines grouped into rows of vertically overlapping lines, top to bottom, each with its cells. */
    private static List<Row> rows(List<PdfLayoutReader.Line> lines) {
        List<PdfLayoutReader.Line> sorted = new ArrayList<>(lines);
        sorted.sort(
                Comparator.comparingDouble(PdfLayoutReader.Line::bottom).thenComparingDouble(PdfLayoutReader.Line::x0));
        List<List<PdfLayoutReader.Line>> bands = new ArrayList<>();
        float bandBottom = -Float.MAX_VALUE;
        for (PdfLayoutReader.Line line : sorted) {
            float middle = (line.top() + line.bottom()) / 2;
            if (bands.isEmpty() || middle > bandBottom) {
                bands.add(new ArrayList<>());
                bandBottom = line.bottom();
            }
            bands.getLast().add(line);
            bandBottom = Math.max(bandBottom, line.bottom());
        }
        List<Row> rows = new ArrayList<>();
        for (List<PdfLayoutReader.Line> band : bands) {
            List<Cell> cells = new ArrayList<>();
            float top = Float.MAX_VALUE;
            float bottom = -Float.MAX_VALUE;
            float size = 0;
            for (PdfLayoutReader.Line line : band) {
                cells.addAll(cells(line));
                top = Math.min(top, line.top());
                bottom = Math.max(bottom, line.bottom());
                size = Math.max(size, line.size());
            }
            cells.sort(Comparator.comparingDouble(Cell::x0));
            rows.add(new Row(band, cells, top, bottom, Math.max(size, 4)));
        }
        return rows;
    }

    /** A line's pieces between gaps of at least {@link #CELL_GAP} times the font size. */
    private static List<Cell> cells(PdfLayoutReader.Line line) {
        List<Cell> cells = new ArrayList<>();
        float x0 = Float.NaN;
        float x1 = Float.NaN;
        float size = 4;
        for (PdfLayoutReader.Glyph glyph : line.glyphs()) {
            if (glyph.text().isBlank()) {
                continue;
            }
            if (!Float.isNaN(x0) && glyph.x0() - x1 >= Math.max(size, 4) * CELL_GAP) {
                cells.add(new Cell(x0, x1));
                x0 = Float.NaN;
            }
            if (Float.isNaN(x0)) {
                x0 = glyph.x0();
                x1 = glyph.x1();
            } else {
                x1 = Math.max(x1, glyph.x1());
            }
            size = glyph.size();
        }
        if (!Float.isNaN(x0)) {
            cells.add(new Cell(x0, x1));
        }
        return cells;
    }

    /**
     * Whether the row continues the run: close enough below its last row, and the run with it still leaves a gutter
     * between any two cells of each of its rows (justified prose, whose wide word spaces do not line up from one line
     * to the next, fails here).
     */
    private static boolean fits(List<Row> run, Row row) {
        Row last = run.getLast();
        if (row.bottom() - last.bottom() > ROW_STEP * Math.max(row.size(), last.size())) {
            return false;
        }
        List<Row> candidate = new ArrayList<>(run);
        candidate.add(row);
        List<Float> boundaries = boundaries(candidate);
        if (boundaries.size() < 3) {
            return false;
        }
        for (Row r : candidate) {
            if (r.cells().size() >= 2 && columnsUsed(r, boundaries) < r.cells().size()) {
                return false;
            }
        }
        return true;
    }

    /** The outer edges of the rows' cells and the middles of the gutters no cell covers, left to right. */
    private static List<Float> boundaries(List<Row> rows) {
        List<Cell> cells = new ArrayList<>();
        for (Row row : rows) {
            cells.addAll(row.cells());
        }
        cells.sort(Comparator.comparingDouble(Cell::x0).thenComparingDouble(Cell::x1));
        List<Float> boundaries = new ArrayList<>();
        boundaries.add(cells.getFirst().x0() - 1);
        float reach = cells.getFirst().x1();
        for (Cell cell : cells) {
            if (cell.x0() - reach >= MIN_GUTTER) {
                boundaries.add((reach + cell.x0()) / 2);
            }
            reach = Math.max(reach, cell.x1());
        }
        boundaries.add(reach + 1);
        return boundaries;
    }

    private static int columnsUsed(Row row, List<Float> boundaries) {
        java.util.BitSet used = new java.util.BitSet();
        for (Cell cell : row.cells()) {
            used.set(column(boundaries, (cell.x0() + cell.x1()) / 2));
        }
        return used.cardinality();
    }

    private static int column(List<Float> boundaries, float x) {
        for (int c = 1; c < boundaries.size() - 1; c++) {
            if (x < boundaries.get(c)) {
                return c - 1;
            }
        }
        return boundaries.size() - 2;
    }

    /** The run as a table, or null when it is too short or reads as prose, a list, a form or code. */
    private static PdfTables.Found table(List<Row> run, float pageWidth, int proseColumns) {
        List<Row> rows = new ArrayList<>(run);
        while (!rows.isEmpty() && rows.getLast().cells().size() < 2) {
            rows.removeLast();
        }
        if (rows.stream().filter(row -> row.cells().size() >= 2).count() < MIN_ROWS) {
            return null;
        }
        List<Float> boundaries = boundaries(rows);
        int columns = boundaries.size() - 1;
        if (columns == 2
                && Math.abs(boundaries.get(1) - pageWidth / 2) < pageWidth * 0.1f
                && boundaries.get(1) - boundaries.getFirst() > pageWidth * 0.3f
                && boundaries.getLast() - boundaries.get(1) > pageWidth * 0.3f) {
            return null; // two columns of body text
        }
        List<PdfLayoutReader.Line> inside = new ArrayList<>();
        float top = Float.MAX_VALUE;
        float bottom = -Float.MAX_VALUE;
        for (Row row : rows) {
            inside.addAll(row.lines());
            top = Math.min(top, row.top());
            bottom = Math.max(bottom, row.bottom());
        }
        if (monospaced(inside)) {
            return null; // code laid out in columns
        }
        PdfTables.Found found = PdfTables.assemble(
                inside, boundaries, List.of(), false, boundaries.getFirst() + 1, boundaries.getLast() - 1, top, bottom);
        if (found == null || found.cells().size() < MIN_ROWS || !plausible(found.cells(), proseColumns)) {
            return null;
        }
        return found;
    }

    /**
     * Whether every glyph of the lines has the same advance width (within 2%): code in a fixed-pitch font that the font
     * name and descriptor do not declare as such.
     */
    private static boolean monospaced(List<PdfLayoutReader.Line> lines) {
        float narrowest = Float.MAX_VALUE;
        float widest = 0;
        int glyphs = 0;
        for (PdfLayoutReader.Line line : lines) {
            for (PdfLayoutReader.Glyph glyph : line.glyphs()) {
                if (!glyph.text().isBlank() && glyph.text().length() == 1) {
                    float width = glyph.x1() - glyph.x0();
                    narrowest = Math.min(narrowest, width);
                    widest = Math.max(widest, width);
                    glyphs++;
                }
            }
        }
        return glyphs >= 10 && widest - narrowest <= widest * 0.02f;
    }

    /**
     * Some cell holds a letter; most rows hold text in two cells or more; fewer than a quarter of the cells end in a
     * word broken by a hyphen; every column holds text in half the rows or more (two at least); at most the allowed
     * number of columns hold prose (a median cell of {@value #PROSE_CELL_CHARACTERS} characters or {@value
     * #PROSE_CELL_WORDS} words); no column is mostly labels ending in a colon or dot leaders; the first column is not
     * one of list markers or list items.
     */
    private static boolean plausible(List<List<String>> cells, int allowedProseColumns) {
        int columns = cells.getFirst().size();
        if (cells.stream()
                .flatMap(List::stream)
                .noneMatch(cell -> cell.codePoints().anyMatch(Character::isLetter))) {
            return false; // numbers only, without a header: the ticks of a chart's axes
        }
        long dense = cells.stream()
                .filter(row -> row.stream().filter(cell -> !cell.isEmpty()).count() >= 2)
                .count();
        if (dense * 2 < cells.size()) {
            return false; // mostly single labels: a form or a list
        }
        long cellCount = 0;
        long broken = 0;
        for (List<String> row : cells) {
            for (String cell : row) {
                if (!cell.isEmpty()) {
                    cellCount++;
                    if (BROKEN_WORD.matcher(cell).find()) {
                        broken++;
                    }
                }
            }
        }
        if (broken * 4 >= cellCount) {
            return false; // words hyphenated at line ends: justified prose
        }
        int proseColumns = 0;
        for (int c = 0; c < columns; c++) {
            List<String> texts = new ArrayList<>();
            for (List<String> row : cells) {
                if (!row.get(c).isEmpty()) {
                    texts.add(row.get(c));
                }
            }
            if (texts.size() < 2 || texts.size() * 2 < cells.size()) {
                return false; // a sparse column: notes in a margin beside body text
            }
            List<Integer> lengths = texts.stream().map(String::length).sorted().toList();
            List<Integer> words =
                    texts.stream().map(text -> text.split(" ").length).sorted().toList();
            if (lengths.get(lengths.size() / 2) >= PROSE_CELL_CHARACTERS
                    || words.get(words.size() / 2) >= PROSE_CELL_WORDS) {
                proseColumns++;
            }
            long labels = texts.stream().filter(text -> text.endsWith(":")).count();
            if (labels * 2 >= texts.size()) {
                return false; // the labels of a key: value form
            }
            if (c == 0) {
                long markers = texts.stream()
                        .filter(text -> LIST_MARKER.matcher(text).matches()
                                || LIST_ITEM.matcher(text).matches())
                        .count();
                if (markers * 5 >= texts.size() * 4) {
                    return false; // bullets or numbers with a hanging indent, or list items
                }
            }
            long leaders =
                    texts.stream().filter(text -> LEADER.matcher(text).find()).count();
            if (leaders * 2 >= texts.size()) {
                return false; // a table of contents or an index with dot leaders
            }
        }
        return proseColumns <= allowedProseColumns;
    }
}
