package io.frostbyte.parser;

import io.frostbyte.core.document.CanonicalDocumentBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Tables of one PDF page from its ruling lines and the alignment of its text (spec/02 §2.2). Rules that touch, or
 * horizontal rules of the same extent stacked above each other (booktabs style), form a candidate region; its columns
 * come from the vertical rules inside it or, without them, from the x positions no text line covers; its rows from
 * the horizontal rules and text lines, a line with an empty first column continuing the row above it. A region
 * becomes a table only when at least two rows hold text in two or more columns, so a ruled box around a paragraph
 * stays a paragraph; so do regions whose rules cut through words (diagrams) or hold cells of prose.
 */
final class PdfTables {
    static final int MAX_RULES = 1_500;
    private static final float JOIN = 3f;
    private static final int MAX_COLUMNS = 64;
    /** Longer cell texts are prose laid out in ruled boxes (a brochure, a back cover), not table cells. */
    private static final int MAX_CELL_CHARACTERS = 300;

    /** A table found on a page: its cells (row-major, single-line texts), the header rows and what it covers. */
    record Found(
            List<List<String>> cells,
            boolean header,
            float x0,
            float x1,
            float top,
            float bottom,
            List<PdfLayoutReader.Line> lines) {}

    private record Rule(float x0, float y0, float x1, float y1) {
        boolean horizontal() {
            return y0 == y1;
        }
    }

    private PdfTables() {}

    static List<Found> detect(List<PdfLayoutReader.Line> lines, List<PdfRulings.Segment> segments) {
        List<Rule> horizontal = merge(segments, true);
        List<Rule> vertical = merge(segments, false);
        if (horizontal.isEmpty() || horizontal.size() + vertical.size() > MAX_RULES) {
            return List.of();
        }
        List<Rule> rules = new ArrayList<>(horizontal);
        rules.addAll(vertical);
        int[] parent = new int[rules.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        // horizontal rules touching a vertical one belong to a grid and are not stacked with free ones
        boolean[] inGrid = new boolean[rules.size()];
        for (int i = 0; i < horizontal.size(); i++) {
            for (Rule v : vertical) {
                inGrid[i] |= related(rules.get(i), v);
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                boolean stacked = rules.get(i).horizontal() && rules.get(j).horizontal();
                if ((!stacked || !(inGrid[i] || inGrid[j])) && related(rules.get(i), rules.get(j))) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        List<Found> found = new ArrayList<>();
        List<PdfLayoutReader.Line> free = new ArrayList<>(lines);
        for (int root = 0; root < rules.size(); root++) {
            if (find(parent, root) != root) {
                continue;
            }
            List<Rule> cluster = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                if (find(parent, i) == root) {
                    cluster.add(rules.get(i));
                }
            }
            Found table = table(cluster, free);
            if (table != null) {
                found.add(table);
                free.removeAll(table.lines());
            }
        }
        found.sort(Comparator.comparingDouble(Found::top).thenComparingDouble(Found::x0));
        return found;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static boolean related(Rule a, Rule b) {
        if (a.horizontal() && b.horizontal()) {
            return Math.abs(a.x0() - b.x0()) <= 2 * JOIN
                    && Math.abs(a.x1() - b.x1()) <= 2 * JOIN
                    && Math.abs(a.y0() - b.y0()) <= 300;
        }
        if (!a.horizontal() && !b.horizontal()) {
            return Math.abs(a.x0() - b.x0()) <= JOIN && a.y0() <= b.y1() + JOIN && b.y0() <= a.y1() + JOIN;
        }
        Rule h = a.horizontal() ? a : b;
        Rule v = a.horizontal() ? b : a;
        return v.x0() >= h.x0() - JOIN && v.x0() <= h.x1() + JOIN && h.y0() >= v.y0() - JOIN && h.y0() <= v.y1() + JOIN;
    }

    /** Collinear overlapping segments joined into rules; horizontal rules shorter than 10pt dropped. */
    private static List<Rule> merge(List<PdfRulings.Segment> segments, boolean horizontal) {
        List<Rule> sorted = new ArrayList<>();
        for (PdfRulings.Segment segment : segments) {
            if (segment.horizontal() == horizontal) {
                sorted.add(
                        horizontal
                                ? new Rule(segment.x0(), segment.y0(), segment.x1(), segment.y1())
                                : new Rule(segment.y0(), segment.x0(), segment.y1(), segment.x1()));
            }
        }
        // in (along, across) form: x0..x1 along the rule, y0 across it
        sorted.sort(Comparator.comparingDouble(Rule::y0).thenComparingDouble(Rule::x0));
        List<Rule> merged = new ArrayList<>();
        for (Rule rule : sorted) {
            Rule last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && Math.abs(rule.y0() - last.y0()) <= 1.5f && rule.x0() <= last.x1() + 2) {
                merged.set(
                        merged.size() - 1, new Rule(last.x0(), last.y0(), Math.max(last.x1(), rule.x1()), last.y0()));
            } else {
                merged.add(new Rule(rule.x0(), rule.y0(), rule.x1(), rule.y0()));
            }
        }
        List<Rule> rules = new ArrayList<>();
        for (Rule rule : merged) {
            float length = rule.x1() - rule.x0();
            if (horizontal && length >= 10) {
                rules.add(rule);
            } else if (!horizontal && length >= 6) {
                rules.add(new Rule(rule.y0(), rule.x0(), rule.y0(), rule.x1()));
            }
        }
        return rules;
    }

    private static Found table(List<Rule> cluster, List<PdfLayoutReader.Line> lines) {
        List<Float> rowRules = new ArrayList<>();
        List<Float> columnRules = new ArrayList<>();
        float x0 = Float.MAX_VALUE;
        float x1 = -Float.MAX_VALUE;
        float top = Float.MAX_VALUE;
        float bottom = -Float.MAX_VALUE;
        for (Rule rule : cluster) {
            x0 = Math.min(x0, rule.x0());
            x1 = Math.max(x1, rule.x1());
            top = Math.min(top, rule.y0());
            bottom = Math.max(bottom, rule.y1());
            (rule.horizontal() ? rowRules : columnRules).add(rule.horizontal() ? rule.y0() : rule.x0());
        }
        rowRules = cluster(rowRules);
        columnRules = cluster(columnRules);
        if (x1 - x0 < 40 || bottom - top < 10 || rowRules.size() < (columnRules.size() >= 2 ? 1 : 2)) {
            return null;
        }
        List<PdfLayoutReader.Line> inside = new ArrayList<>();
        for (PdfLayoutReader.Line line : lines) {
            float cx = (line.x0() + line.x1()) / 2;
            float cy = (line.top() + line.bottom()) / 2;
            if (cx >= x0 - 2
                    && cx <= x1 + 2
                    && cy >= top - 2
                    && cy <= bottom + 2
                    && !line.glyphs().isEmpty()) {
                inside.add(line);
            }
        }
        if (inside.size() < 2) {
            return null;
        }
        final float left = x0;
        final float right = x1;
        List<Float> interior = columnRules.stream()
                .filter(x -> x > left + JOIN && x < right - JOIN)
                .toList();
        boolean grid = !interior.isEmpty();
        List<Float> boundaries = new ArrayList<>();
        boundaries.add(x0 - 1);
        boundaries.addAll(grid ? interior : alignmentGaps(inside, x0, x1));
        boundaries.add(x1 + 1);
        return assemble(inside, boundaries, rowRules, grid, x0, x1, top, bottom);
    }

    /**
     * The table of the given lines cut at the column boundaries (first and last are the outer edges), or null when it
     * does not hold at least two rows with text in two or more columns, cuts words, or holds prose. Text rows are the
     * lines overlapping vertically; a row between the same horizontal rules (any row of a grid) or, without rules, a
     * row whose first column is empty continues the row above it.
     */
    static Found assemble(
            List<PdfLayoutReader.Line> inside,
            List<Float> boundaries,
            List<Float> rowRules,
            boolean grid,
            float x0,
            float x1,
            float top,
            float bottom) {
        int columns = boundaries.size() - 1;
        if (columns < 2 || columns > MAX_COLUMNS) {
            return null;
        }
        inside = new ArrayList<>(inside);
        // text rows: lines overlapping vertically, top to bottom
        inside.sort(
                Comparator.comparingDouble(PdfLayoutReader.Line::bottom).thenComparingDouble(PdfLayoutReader.Line::x0));
        List<List<PdfLayoutReader.Line>> textRows = new ArrayList<>();
        float rowBottom = -Float.MAX_VALUE;
        for (PdfLayoutReader.Line line : inside) {
            float middle = (line.top() + line.bottom()) / 2;
            if (textRows.isEmpty() || middle > rowBottom) {
                textRows.add(new ArrayList<>());
                rowBottom = line.bottom();
            }
            textRows.getLast().add(line);
            rowBottom = Math.max(rowBottom, line.bottom());
        }
        List<List<StringBuilder>> rows = new ArrayList<>();
        List<Boolean> bold = new ArrayList<>();
        int previousBand = -1;
        int cutWords = 0;
        for (List<PdfLayoutReader.Line> textRow : textRows) {
            float middle = (textRow.getFirst().top() + textRow.getFirst().bottom()) / 2;
            int band = 0;
            while (band < rowRules.size() && rowRules.get(band) < middle) {
                band++;
            }
            List<StringBuilder> cells = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                cells.add(new StringBuilder());
            }
            boolean allBold = true;
            for (PdfLayoutReader.Line line : textRow) {
                PdfLayoutReader.Glyph previous = null;
                for (PdfLayoutReader.Glyph glyph : line.glyphs()) {
                    int column = column(boundaries, (glyph.x0() + glyph.x1()) / 2);
                    StringBuilder cell = cells.get(column);
                    if (previous != null
                            && !glyph.text().isBlank()
                            && !previous.text().isBlank()
                            && glyph.x0() - previous.x1() < Math.max(previous.size(), 4) * 0.15f
                            && column(boundaries, (previous.x0() + previous.x1()) / 2) != column) {
                        cutWords++;
                    }
                    if (!cell.isEmpty()
                            && (previous == null
                                    || glyph.x0() - previous.x1() > Math.max(previous.size(), 4) * 0.2f
                                    || column(boundaries, (previous.x0() + previous.x1()) / 2) != column)) {
                        cell.append(' ');
                    }
                    cell.append(glyph.text());
                    allBold &= glyph.bold() || glyph.text().isBlank();
                    previous = glyph;
                }
            }
            boolean continues = !rows.isEmpty()
                    && band == previousBand
                    && (grid || cells.getFirst().toString().isBlank());
            if (continues) {
                List<StringBuilder> last = rows.getLast();
                for (int c = 0; c < columns; c++) {
                    if (!cells.get(c).isEmpty()) {
                        if (!last.get(c).isEmpty()) {
                            last.get(c).append(' ');
                        }
                        last.get(c).append(cells.get(c));
                    }
                }
                bold.set(bold.size() - 1, bold.getLast() && allBold);
            } else {
                rows.add(cells);
                bold.add(allBold);
            }
            previousBand = band;
        }
        List<List<String>> texts = new ArrayList<>();
        int multiCellRows = 0;
        for (List<StringBuilder> row : rows) {
            List<String> cells = row.stream()
                    .map(cell -> CanonicalDocumentBuilder.normalizeInline(cell.toString()))
                    .toList();
            if (cells.stream().filter(cell -> !cell.isEmpty()).count() >= 2) {
                multiCellRows++;
            }
            texts.add(cells);
        }
        boolean prose = texts.stream().flatMap(List::stream).anyMatch(cell -> cell.length() > MAX_CELL_CHARACTERS);
        if (texts.size() < 2 || multiCellRows < 2 || cutWords >= 2 || prose) {
            return null;
        }
        return new Found(texts, bold.getFirst() && rows.size() > 1, x0, x1, top, bottom, inside);
    }

    private static int column(List<Float> boundaries, float x) {
        for (int c = 1; c < boundaries.size() - 1; c++) {
            if (x < boundaries.get(c)) {
                return c - 1;
            }
        }
        return boundaries.size() - 2;
    }

    /** Values within {@link #JOIN} of each other reduced to their first, sorted. */
    private static List<Float> cluster(List<Float> values) {
        List<Float> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        List<Float> clustered = new ArrayList<>();
        for (float value : sorted) {
            if (clustered.isEmpty() || value - clustered.getLast() > JOIN) {
                clustered.add(value);
            }
        }
        return clustered;
    }

    /**
     * Column separators where at most a tenth of the text lines put ink (a header spanning several columns may cross
     * them): the middles of the uncovered runs between text, glyph runs closer than 0.8 of their size counting as one
     * word.
     */
    private static List<Float> alignmentGaps(List<PdfLayoutReader.Line> lines, float x0, float x1) {
        int width = Math.min(4_000, (int) Math.ceil(x1 - x0) + 2);
        int[] coverage = new int[width];
        for (PdfLayoutReader.Line line : lines) {
            boolean[] covered = new boolean[width];
            PdfLayoutReader.Glyph previous = null;
            for (PdfLayoutReader.Glyph glyph : line.glyphs()) {
                float from = glyph.x0();
                if (previous != null && glyph.x0() - previous.x1() < Math.max(previous.size(), 4) * 0.8f) {
                    from = Math.min(from, previous.x1());
                }
                for (int x = Math.max(0, (int) (from - x0));
                        x < Math.min(width, (int) Math.ceil(glyph.x1() - x0));
                        x++) {
                    covered[x] = true;
                }
                previous = glyph;
            }
            for (int x = 0; x < width; x++) {
                if (covered[x]) {
                    coverage[x]++;
                }
            }
        }
        int allowed = lines.size() / 10;
        int first = 0;
        while (first < width && coverage[first] <= allowed) {
            first++;
        }
        int last = width - 1;
        while (last >= 0 && coverage[last] <= allowed) {
            last--;
        }
        List<Float> gaps = new ArrayList<>();
        int x = first;
        while (x <= last) {
            if (coverage[x] <= allowed) {
                int start = x;
                while (x <= last && coverage[x] <= allowed) {
                    x++;
                }
                if (x - start >= 3) {
                    gaps.add(x0 + (start + x) / 2f);
                }
            } else {
                x++;
            }
        }
        return gaps;
    }
}
