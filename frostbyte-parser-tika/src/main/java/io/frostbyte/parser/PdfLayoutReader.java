package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.Furniture;
import io.frostbyte.core.document.ParseLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDMarkedContent;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDF structure from PDFBox text positions (spec/02 §2.2), for the many PDFs that carry no tags: lines with their
 * position, font size and weight; lines repeated at the top or bottom of pages (digits masked) become furniture;
 * two-column pages are read column by column between full-width bands; lines are grouped into blocks by vertical
 * gaps and font changes (words hyphenated at line ends rejoined, ligatures spelled out, see {@link TextRepair});
 * headings are short blocks with no other text beside them, set larger than the body, or bold at body size, or
 * numbered "5.1 Title" before body text (see {@link #headingLevels}); bullet and number markers give list items,
 * monospaced fonts code, "Figure n" lines captions. Ruling lines for {@link PdfTables} are collected by {@link
 * PdfRulings} in the same pass over each page's content as the text.
 * A page with fewer than {@link #OCR_BELOW_CHARACTERS} characters and an image is rendered and OCR'd when an engine
 * is configured.
 */
final class PdfLayoutReader {
    static final int OCR_BELOW_CHARACTERS = 10;
    static final int MAX_HEADING_RUN = 4;
    private static final long MAX_OCR_PIXELS = 60_000_000L;
    private static final Pattern BULLET = Pattern.compile(
            "^([\\u2022\\u00B7\\u25AA\\u25CF\\u25E6\\u2013\\u2043\\-*\\uF0B7]|\\d{1,3}[.)]|[a-z][.)]|\\(\\d{1,3}\\))\\s+\\S.*");
    private static final Pattern CAPTION = Pattern.compile("^(Figure|Fig\\.|Table)\\s+\\d+[.:]?\\s.*");
    /** "2", "2.3" or "2.3.1" before a title: a numbered section even when set in capitals. */
    private static final Pattern NUMBERED_SECTION = Pattern.compile("^\\d{1,2}(\\.\\d{1,2}){0,3}\\.?\\s+\\S.*");

    private static final Pattern SUBSET_PREFIX = Pattern.compile("^[a-z]{6}\\+");
    private static final Pattern BOLD_SUFFIX = Pattern.compile("(bd|bdit|bdita|sb|sbit)$");
    private static final Pattern TEX_BOLD = Pattern.compile("^(cm|sf|ec|lm)[a-z]*bx\\d*$|^cmb\\d+$");
    /** A two-level or deeper section number before a capitalized title: "5.1 Results", "2.1.7 Verifying …". */
    private static final Pattern MULTI_LEVEL_SECTION = Pattern.compile("^\\d{1,2}(\\.\\d{1,2}){1,3}\\.?\\s+\\p{Lu}.*");
    /** A chapter number set alone in a large size: "1", "12". */
    private static final Pattern CHAPTER_NUMBER = Pattern.compile("^\\d{1,2}$");

    private static final Pattern PAGE_NUMBER = Pattern.compile("^(page\\s*)?#(\\s*(of|/)\\s*#)?$");

    /** One text line of a page. */
    record Line(
            int page,
            String text,
            float x0,
            float x1,
            float top,
            float bottom,
            float size,
            boolean bold,
            boolean mono,
            List<Glyph> glyphs,
            PdfTables.Found table) {
        Line {
            glyphs = List.copyOf(glyphs);
        }
    }

    /** One character of a line, for splitting it into table cells. */
    record Glyph(String text, float x0, float x1, float size, boolean bold) {}

    private final ParseLimits limits;
    private final Extraction extraction = new Extraction();
    private long tableCellsUsed;

    private PdfLayoutReader(ParseLimits limits) {
        this.limits = limits;
    }

    /**
     * @param ocrDpi {@code ocr.dpi}, the resolution a page without text is rendered at for OCR
     * @param ocrTimeout the time one page may take in the OCR engine
     */
    static Extraction read(
            byte[] bytes, ParseLimits limits, Optional<TesseractOcr> ocr, Path scratch, int ocrDpi, Duration ocrTimeout)
            throws IOException, InterruptedException {
        PdfLayoutReader reader = new PdfLayoutReader(limits);
        try (PDDocument document = Loader.loadPDF(bytes)) {
            document.setResourceCache(new PdfResourceCache());
            int pages = document.getNumberOfPages();
            int kept = Math.min(pages, limits.maxPages());
            if (pages > kept) {
                reader.extraction.drop("page", kept + 1, "limit_exceeded");
            }
            reader.extraction.pageCount = Math.max(1, kept);
            Collector collector = new Collector(limits.maxCharacters());
            collector.setSortByPosition(false);
            collector.setStartPage(1);
            collector.setEndPage(Math.max(1, kept));
            collector.getText(document);
            Map<Integer, List<Line>> byPage = collector.lines;
            if (collector.truncated) {
                reader.extraction.drop("text", kept, "limit_exceeded");
            }
            reader.metadata(document.getDocumentInformation());
            List<Integer> ocrPages = new ArrayList<>();
            for (int page = 1; page <= kept; page++) {
                List<Line> lines = byPage.getOrDefault(page, List.of());
                int characters = lines.stream()
                        .mapToInt(line -> line.text().strip().length())
                        .sum();
                if (characters < OCR_BELOW_CHARACTERS && hasImage(document.getPage(page - 1))) {
                    ocrPages.add(page);
                }
            }
            reader.layout(byPage, collector.rulings, kept, document);
            for (int page : ocrPages) {
                if (ocr.isEmpty()) {
                    reader.extraction.drop("image", page, "image_without_text");
                    reader.extraction.warnings.add("ocr_unavailable");
                } else {
                    reader.ocrPage(document, page, ocr.get(), scratch, ocrDpi, ocrTimeout);
                }
            }
            if (!ocrPages.isEmpty()) {
                reader.extraction.blocks.sort(java.util.Comparator.comparingInt(RawBlock::page));
            }
        }
        return reader.extraction;
    }

    private void metadata(PDDocumentInformation information) {
        if (information == null) {
            return;
        }
        extraction.metadata.put("title", information.getTitle());
        extraction.metadata.put("author", information.getAuthor());
        if (information.getCreationDate() != null) {
            extraction.metadata.put(
                    "created", information.getCreationDate().toInstant().toString());
        }
        extraction.metadata.values().removeIf(value -> value == null || value.isBlank());
    }

    private static boolean hasImage(PDPage page) {
        PDResources resources = page.getResources();
        if (resources == null) {
            return false;
        }
        for (COSName name : resources.getXObjectNames()) {
            if (resources.isImageXObject(name)) {
                return true;
            }
        }
        return false;
    }

    private void ocrPage(PDDocument document, int page, TesseractOcr ocr, Path scratch, int ocrDpi, Duration timeout)
            throws InterruptedException {
        PDPage pdPage = document.getPage(page - 1);
        float widthInches = pdPage.getMediaBox().getWidth() / 72f;
        float heightInches = pdPage.getMediaBox().getHeight() / 72f;
        float dpi = ocrDpi;
        double pixels = (double) widthInches * heightInches * dpi * dpi;
        if (pixels > MAX_OCR_PIXELS) {
            dpi = (float) Math.sqrt(MAX_OCR_PIXELS / ((double) widthInches * heightInches));
        }
        try {
            var image = new org.apache.pdfbox.rendering.PDFRenderer(document)
                    .renderImageWithDPI(page - 1, dpi, org.apache.pdfbox.rendering.ImageType.GRAY);
            Path file = scratch.resolve("page-" + page + ".png");
            javax.imageio.ImageIO.write(image, "png", file.toFile());
            extraction.ocrEngine = ocr.engine();
            ImageOcrReader.addRecognized(extraction, ocr.recognize(file, timeout), page);
            java.nio.file.Files.deleteIfExists(file);
        } catch (IOException | TesseractOcr.OcrException | RuntimeException e) {
            extraction.drop("page", page, "ocr_failed_page");
        }
    }

    private void layout(
            Map<Integer, List<Line>> byPage,
            Map<Integer, List<PdfRulings.Segment>> rulings,
            int pages,
            PDDocument document) {
        Map<String, TreeSet<Integer>> edgePages = new HashMap<>();
        Map<Integer, Float> heights = new HashMap<>();
        for (int page = 1; page <= pages; page++) {
            float height = document.getPage(page - 1).getCropBox().getHeight();
            heights.put(page, height);
            for (Line line : edgeLines(byPage.getOrDefault(page, List.of()), height)) {
                edgePages
                        .computeIfAbsent(key(line.text()), k -> new TreeSet<>())
                        .add(page);
            }
        }
        List<Line> body = new ArrayList<>();
        Set<Line> sideBySide = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int page = 1; page <= pages; page++) {
            List<Line> lines = byPage.getOrDefault(page, List.of());
            List<Line> edges = edgeLines(lines, heights.get(page));
            List<Line> kept = new ArrayList<>();
            for (Line line : lines) {
                boolean running = false;
                if (edges.contains(line)) {
                    String key = key(line.text());
                    TreeSet<Integer> keyPages = edgePages.get(key);
                    int repeats = keyPages == null ? 0 : keyPages.size();
                    running = (repeats >= 2 && (repeats >= 3 || repeats * 2 >= pages))
                            || PAGE_NUMBER.matcher(key.toLowerCase(Locale.ROOT)).matches();
                }
                if (running) {
                    boolean top = line.top() < heights.get(page) / 2;
                    extraction.furniture.add(new Extraction.FurnitureLine(
                            page, top ? Furniture.Kind.PAGE_HEADER : Furniture.Kind.PAGE_FOOTER, line.text()));
                } else {
                    kept.add(line);
                }
            }
            float width = document.getPage(page - 1).getCropBox().getWidth();
            kept = withTables(kept, rulings.getOrDefault(page, List.of()), width);
            markSideBySide(kept, width, sideBySide);
            body.addAll(readingOrder(kept, width));
        }
        float bodySize = bodySize(body);
        List<List<Line>> groups = group(body, bodySize);
        int[] levels = headingLevels(groups, bodySize, sideBySide);
        for (int i = 0; i < groups.size(); i++) {
            List<Line> group = groups.get(i);
            Line first = group.getFirst();
            String text = group.stream().allMatch(Line::mono)
                    ? String.join("\n", group.stream().map(Line::text).toList())
                    : TextRepair.joinLines(group.stream().map(Line::text).toList());
            int page = first.page();
            int pageEnd = group.getLast().page();
            if (first.table() != null) {
                table(first.table(), page);
            } else if (levels[i] > 0) {
                extraction.blocks.add(RawBlock.text(BlockType.HEADING, levels[i], text, page, pageEnd));
            } else if (group.stream().allMatch(Line::mono)) {
                extraction.blocks.add(RawBlock.text(BlockType.CODE, 0, text, page, pageEnd));
            } else if (CAPTION.matcher(first.text().strip()).matches()) {
                extraction.blocks.add(RawBlock.text(BlockType.FIGURE_CAPTION, 0, text, page, pageEnd));
            } else if (BULLET.matcher(first.text().strip()).matches()) {
                extraction.blocks.add(RawBlock.text(BlockType.LIST_ITEM, 1, text, page, pageEnd));
            } else {
                extraction.blocks.add(RawBlock.text(BlockType.PARAGRAPH, 0, text, page, pageEnd));
            }
        }
    }

    /**
     * Heading levels of the groups (0 = not a heading). A heading is a short group that no other text sits beside (a
     * label in a diagram, a form or a table row has neighbours on its baseline), and either set clearly larger than
     * the body ({@link #isLargeHeading}), one line a little larger than the body and followed by smaller text, bold at
     * body size ({@link #isBoldHeading}), or one line at body size opening with a two-level section number and
     * followed by body text. Levels follow the rank of the heading's size among all heading sizes, largest first;
     * headings at body size or smaller share the level below the smallest larger size.
     */
    private static int[] headingLevels(List<List<Line>> groups, float bodySize, Set<Line> sideBySide) {
        boolean[] heading = new boolean[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            List<Line> group = groups.get(i);
            List<Line> next = i + 1 < groups.size() ? groups.get(i + 1) : null;
            if (group.getFirst().table() != null
                    || group.stream().anyMatch(sideBySide::contains)
                    || group.stream().anyMatch(Line::mono)) {
                continue;
            }
            heading[i] = isLargeHeading(group, bodySize)
                    || isSlightlyLargerHeading(group, next, bodySize)
                    || isBoldHeading(group, bodySize)
                    || isNumberedHeading(group, next, bodySize);
        }
        TreeSet<Float> largerSizes = new TreeSet<>(java.util.Comparator.reverseOrder());
        for (int i = 0; i < groups.size(); i++) {
            float size = roundSize(groups.get(i).getFirst().size());
            if (heading[i] && size > bodySize) {
                largerSizes.add(size);
            }
        }
        List<Float> ranked = new ArrayList<>(largerSizes);
        int[] levels = new int[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            if (heading[i]) {
                int rank = ranked.indexOf(roundSize(groups.get(i).getFirst().size()));
                levels[i] = Math.min((rank >= 0 ? rank : ranked.size()) + 1, 6);
            }
        }
        demoteHeadingRuns(groups, levels);
        return levels;
    }

    /**
     * Marks the lines that share part of their vertical extent with another line of comparable size (at least half
     * as large) in the same column of the page: labels of a diagram, cells of an unruled table, form fields, margin
     * notes beside body text. On a two-column page a line beside the other column's text does not count; a small
     * label ("Chapter 1.") beside a large title does not either.
     */
    private static void markSideBySide(List<Line> lines, float width, Set<Line> marked) {
        float middle = width / 2;
        boolean twoColumns = readingOrder(lines, width) != lines;
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort(java.util.Comparator.comparingDouble(Line::top));
        for (int i = 0; i < sorted.size(); i++) {
            Line a = sorted.get(i);
            for (int j = i + 1; j < sorted.size(); j++) {
                Line b = sorted.get(j);
                if (b.top() >= a.bottom()) {
                    break;
                }
                float overlap = Math.min(a.bottom(), b.bottom()) - Math.max(a.top(), b.top());
                float height = Math.min(a.bottom() - a.top(), b.bottom() - b.top());
                boolean sameColumn = !twoColumns
                        || (a.x0() < middle - 2 && b.x0() < middle - 2)
                        || (a.x1() > middle + 2 && b.x1() > middle + 2);
                boolean comparableSize = Math.min(a.size(), b.size()) >= Math.max(a.size(), b.size()) * 0.5f;
                if (height > 0
                        && overlap > height * 0.15f
                        && sameColumn
                        && comparableSize
                        && a.table() == null
                        && b.table() == null) {
                    marked.add(a);
                    marked.add(b);
                }
            }
        }
    }

    /**
     * {@value #MAX_HEADING_RUN} or more heading candidates in a row on one page, with no body text between them, are a
     * cover, a form or a syntax diagram rather than sections: only those set in the two largest heading sizes stay.
     */
    private static void demoteHeadingRuns(List<List<Line>> groups, int[] levels) {
        int start = 0;
        while (start < groups.size()) {
            int end = start;
            while (end < groups.size()
                    && levels[end] > 0
                    && groups.get(end).getFirst().page()
                            == groups.get(start).getFirst().page()) {
                end++;
            }
            if (end - start >= MAX_HEADING_RUN) {
                for (int i = start; i < end; i++) {
                    if (levels[i] > 2) {
                        levels[i] = 0;
                    }
                }
            }
            start = Math.max(end, start + 1);
        }
    }

    /**
     * The page's lines with those inside a detected table replaced by one line carrying the table, where it began:
     * tables from ruling lines first, then tables from the alignment of the remaining text ({@link PdfAlignedTables}).
     */
    private static List<Line> withTables(List<Line> lines, List<PdfRulings.Segment> segments, float width) {
        if (lines.size() < 4) {
            return lines;
        }
        List<Line> result = new ArrayList<>(lines);
        for (PdfTables.Found table : PdfTables.detect(lines, segments)) {
            replace(result, table);
        }
        for (PdfTables.Found table : PdfAlignedTables.detect(result, segments, width)) {
            replace(result, table);
        }
        return result;
    }

    private static void replace(List<Line> result, PdfTables.Found table) {
        int at = result.size();
        for (Line line : table.lines()) {
            int index = result.indexOf(line);
            if (index >= 0) {
                at = Math.min(at, index);
            }
        }
        result.removeAll(table.lines());
        Line first = table.lines().getFirst();
        result.add(
                Math.min(at, result.size()),
                new Line(
                        first.page(),
                        "",
                        table.x0(),
                        table.x1(),
                        table.top(),
                        table.bottom(),
                        first.size(),
                        false,
                        false,
                        List.of(),
                        table));
    }

    private void table(PdfTables.Found found, int page) {
        List<List<TableGrid.Cell>> rows = new ArrayList<>();
        for (int r = 0; r < found.cells().size(); r++) {
            List<TableGrid.Cell> row = new ArrayList<>();
            for (String text : found.cells().get(r)) {
                row.add(new TableGrid.Cell(text, 1, 1, r == 0 && found.header()));
            }
            rows.add(row);
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

    /** Up to two lines nearest the top and the bottom of the page, inside its outer 12%. */
    private static List<Line> edgeLines(List<Line> lines, float height) {
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort(java.util.Comparator.comparingDouble(Line::top));
        List<Line> edges = new ArrayList<>();
        for (int i = 0; i < Math.min(2, sorted.size()); i++) {
            if (sorted.get(i).top() < height * 0.12f) {
                edges.add(sorted.get(i));
            }
        }
        for (int i = Math.max(0, sorted.size() - 2); i < sorted.size(); i++) {
            if (sorted.get(i).bottom() > height * 0.88f && !edges.contains(sorted.get(i))) {
                edges.add(sorted.get(i));
            }
        }
        return edges;
    }

    /** Digits and lower-case Roman page numbers masked, so "Page 3" and "Page 4", "iii" and "xi" share a key. */
    private static String key(String text) {
        return CanonicalDocumentBuilder.normalizeInline(text)
                .replaceAll("\\d+", "#")
                .replaceAll("\\b[ivxlc]{1,7}\\b$", "#");
    }

    /**
     * A page is two-column when most lines sit inside one half and both halves hold several lines; it is then read in
     * bands split by full-width lines, each band left column first.
     */
    static List<Line> readingOrder(List<Line> lines, float width) {
        float middle = width / 2;
        int left = 0;
        int right = 0;
        int spanning = 0;
        for (Line line : lines) {
            if (line.x1() <= middle + 2) {
                left++;
            } else if (line.x0() >= middle - 2) {
                right++;
            } else {
                spanning++;
            }
        }
        if (left < 5 || right < 5 || spanning * 3 > lines.size()) {
            return lines;
        }
        List<Line> sorted = new ArrayList<>(lines);
        sorted.sort(java.util.Comparator.comparingDouble(Line::top));
        List<Line> ordered = new ArrayList<>();
        List<Line> leftBand = new ArrayList<>();
        List<Line> rightBand = new ArrayList<>();
        for (Line line : sorted) {
            boolean spans = line.x1() > middle + 2 && line.x0() < middle - 2;
            if (spans) {
                ordered.addAll(leftBand);
                ordered.addAll(rightBand);
                leftBand.clear();
                rightBand.clear();
                ordered.add(line);
            } else if (line.x1() <= middle + 2) {
                leftBand.add(line);
            } else {
                rightBand.add(line);
            }
        }
        ordered.addAll(leftBand);
        ordered.addAll(rightBand);
        return ordered;
    }

    private static float bodySize(List<Line> lines) {
        Map<Float, Integer> characters = new TreeMap<>();
        for (Line line : lines) {
            characters.merge(roundSize(line.size()), line.text().length(), Integer::sum);
        }
        return characters.entrySet().stream()
                .max(Map.Entry.<Float, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(10f);
    }

    private static float roundSize(float size) {
        return Math.round(size * 2) / 2f;
    }

    private static List<List<Line>> group(List<Line> lines, float bodySize) {
        List<List<Line>> groups = new ArrayList<>();
        List<Line> current = new ArrayList<>();
        Line previous = null;
        for (Line line : lines) {
            if (previous != null && startsNewBlock(previous, line, bodySize)) {
                groups.add(current);
                current = new ArrayList<>();
            }
            current.add(line);
            previous = line;
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private static boolean startsNewBlock(Line previous, Line line, float bodySize) {
        if (line.page() != previous.page() || line.table() != null || previous.table() != null) {
            return true;
        }
        float baselineStep = line.bottom() - previous.bottom();
        float size = Math.max(previous.size(), 1);
        return baselineStep > size * 1.75f
                || baselineStep < -1
                || Math.abs(roundSize(line.size()) - roundSize(previous.size())) >= 1
                || line.bold() != previous.bold()
                || line.mono() != previous.mono()
                || BULLET.matcher(line.text().strip()).matches()
                || CAPTION.matcher(line.text().strip()).matches()
                || Math.abs(line.x0() - previous.x0()) > bodySize * 12;
    }

    private static boolean isLargeHeading(List<Line> group, float bodySize) {
        String text = String.join(" ", group.stream().map(Line::text).toList()).strip();
        float size = roundSize(group.getFirst().size());
        return group.size() <= 3
                && size >= bodySize + 1.5f
                && text.length() <= 200
                && plausibleTitle(text)
                && (text.codePoints().anyMatch(Character::isLetter)
                        || (size >= bodySize * 2 && CHAPTER_NUMBER.matcher(text).matches()));
    }

    /** One line set at least a point larger than the body, not a sentence, followed by smaller text. */
    private static boolean isSlightlyLargerHeading(List<Line> group, List<Line> next, float bodySize) {
        String text = group.getFirst().text().strip();
        float size = roundSize(group.getFirst().size());
        return group.size() == 1
                && size >= bodySize + 1
                && text.length() <= 100
                && plausibleTitle(text)
                && !text.endsWith(".")
                && text.codePoints().anyMatch(Character::isLetter)
                && next != null
                && next.getFirst().table() == null
                && next.getFirst().page() <= group.getFirst().page() + 1
                && roundSize(next.getFirst().size()) < size;
    }

    /** One line at body size opening with "5.1" or "2.1.7" and a capital, followed by body text. */
    private static boolean isNumberedHeading(List<Line> group, List<Line> next, float bodySize) {
        String text = group.getFirst().text().strip();
        return group.size() == 1
                && Math.abs(roundSize(group.getFirst().size()) - bodySize) < 1
                && text.length() <= 100
                && MULTI_LEVEL_SECTION.matcher(text).matches()
                && plausibleTitle(text)
                && !text.endsWith(".")
                && next != null
                && next.getFirst().table() == null
                && next.size() >= 2
                && roundSize(next.getFirst().size()) <= bodySize;
    }

    /** Not a sentence piece or a syntax template: no trailing comma or semicolon, no "&lt;placeholder&gt;". */
    private static boolean plausibleTitle(String text) {
        return !text.endsWith(",") && !text.endsWith(";") && text.indexOf('<') < 0;
    }

    private static boolean isBoldHeading(List<Line> group, float bodySize) {
        String text = String.join(" ", group.stream().map(Line::text).toList()).strip();
        return group.size() <= 2
                && group.stream().allMatch(Line::bold)
                && group.stream().noneMatch(Line::mono)
                && roundSize(group.getFirst().size()) >= bodySize - 0.5f
                && text.length() <= 120
                && !text.endsWith(".")
                && !text.endsWith(",")
                && !text.endsWith(";")
                && text.codePoints().anyMatch(Character::isLetter)
                && (text.codePoints().anyMatch(Character::isLowerCase)
                        || NUMBERED_SECTION.matcher(text).matches())
                && text.indexOf('<') < 0;
    }

    /**
     * A bold face by name (after the subset prefix: "Bold", "Black", "Heavy", "Semibold", "Demi", a "Bd" suffix as in
     * MyriadBd, TeX's bold extended "cmbx10"/"sfbx1000") or by descriptor (weight 600 or more, force-bold flag).
     */
    static boolean isBoldFont(String lowerCaseName, PDFontDescriptor descriptor) {
        String name = SUBSET_PREFIX.matcher(lowerCaseName).replaceFirst("");
        return name.contains("bold")
                || name.contains("black")
                || name.contains("heavy")
                || name.contains("demi")
                || BOLD_SUFFIX.matcher(name).find()
                || TEX_BOLD.matcher(name).find()
                || (descriptor != null && (descriptor.getFontWeight() >= 600 || descriptor.isForceBold()));
    }

    private record FontStyle(boolean bold, boolean mono) {
        static final FontStyle PLAIN = new FontStyle(false, false);
    }

    /** Letters and digits decide a line's size; spaces, bullets and check boxes set larger do not. */
    private static boolean weighsInSize(String unicode) {
        if (unicode == null) {
            return false;
        }
        for (int i = 0; i < unicode.length(); ) {
            int codePoint = unicode.codePointAt(i);
            if (Character.isLetterOrDigit(codePoint)) {
                return true;
            }
            i += Character.charCount(codePoint);
        }
        return false;
    }

    /**
     * How many glyphs of a line have each (rounded) font size: a few sizes at most, so a short array instead of a
     * sorted map. Sizes are halves of integers from {@link #roundSize}, never NaN or negative zero.
     */
    static final class SizeCounts {
        private float[] sizes = new float[4];
        private int[] counts = new int[4];
        private int used;

        void clear() {
            used = 0;
        }

        boolean isEmpty() {
            return used == 0;
        }

        void add(float size) {
            for (int i = 0; i < used; i++) {
                if (sizes[i] == size) {
                    counts[i]++;
                    return;
                }
            }
            if (used == sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, used * 2);
                counts = java.util.Arrays.copyOf(counts, used * 2);
            }
            sizes[used] = size;
            counts[used] = 1;
            used++;
        }

        /** The size with the most glyphs, the larger size on a tie; 10 when there is none. */
        float mostFrequent() {
            if (used == 0) {
                return 10f;
            }
            float best = sizes[0];
            int bestCount = counts[0];
            for (int i = 1; i < used; i++) {
                if (counts[i] > bestCount || (counts[i] == bestCount && sizes[i] > best)) {
                    best = sizes[i];
                    bestCount = counts[i];
                }
            }
            return best;
        }
    }

    /** PDFTextStripper that records each line's text and geometry instead of writing text. */
    private static final class Collector extends PDFTextStripper {
        final Map<Integer, List<Line>> lines = new TreeMap<>();
        private final long maxCharacters;
        private final StringBuilder text = new StringBuilder();
        private final List<TextPosition> positions = new ArrayList<>();
        private long characters;
        boolean truncated;

        private final Map<PDFont, FontStyle> styles = new java.util.IdentityHashMap<>();
        private PDFont lastFont;
        private FontStyle lastStyle;

        /** Glyphs per rounded font size of the segment being added, reused from line to line. */
        private final SizeCounts sizes = new SizeCounts();

        /** Each page's ruling lines, collected from its path operators in the same pass as its text. */
        final Map<Integer, List<PdfRulings.Segment>> rulings = new HashMap<>();

        private PdfRulings pageRulings;
        private boolean inTextObject;

        /** Duplicate overlapping glyphs, dropped here instead of by PDFBox (same result, cheaper). */
        private final OverlappingGlyphs overlapping = new OverlappingGlyphs();

        /**
         * Mirrors PDFBox's stack of marked-content sequences: whether each has an /ActualText, for which PDFBox does
         * not suppress duplicates.
         */
        private final java.util.ArrayDeque<Boolean> markedContents = new java.util.ArrayDeque<>();

        private boolean inActualText;

        Collector(long maxCharacters) {
            this.maxCharacters = maxCharacters;
            setSuppressDuplicateOverlappingText(false);
            for (var operator : PdfRulings.operators(this, () -> inTextObject ? null : pageRulings)) {
                addOperator(operator);
            }
        }

        @Override
        public void beginMarkedContentSequence(COSName tag, COSDictionary properties) {
            super.beginMarkedContentSequence(tag, properties);
            boolean actualText = PDMarkedContent.create(tag, properties).getActualText() != null;
            markedContents.push(actualText);
            inActualText = actualText;
        }

        @Override
        public void endMarkedContentSequence() {
            super.endMarkedContentSequence();
            Boolean actualText = markedContents.poll();
            if (actualText != null && actualText) {
                inActualText = false;
            }
        }

        @Override
        protected void processTextPosition(TextPosition text) {
            if (!inActualText && !overlapping.shows(text.getUnicode(), text.getX(), text.getY(), text.getWidth())) {
                return;
            }
            super.processTextPosition(text);
        }

        @Override
        protected void startPage(PDPage page) throws IOException {
            overlapping.reset();
            super.startPage(page);
            pageRulings = new PdfRulings(page);
            inTextObject = false;
        }

        @Override
        protected void endPage(PDPage page) throws IOException {
            rulings.put(getCurrentPageNo(), pageRulings.segments());
            pageRulings = null;
            super.endPage(page);
        }

        @Override
        public void beginText() throws IOException {
            super.beginText();
            inTextObject = true;
        }

        @Override
        public void endText() throws IOException {
            inTextObject = false;
            super.endText();
        }

        /** A font's weight and pitch, worked out once per font object of the document. */
        private FontStyle style(PDFont font) {
            if (font == null) {
                return FontStyle.PLAIN;
            }
            if (font == lastFont) {
                return lastStyle;
            }
            lastFont = font;
            lastStyle = styles.computeIfAbsent(font, f -> {
                String name = f.getName() == null ? "" : f.getName().toLowerCase(Locale.ROOT);
                PDFontDescriptor descriptor = f.getFontDescriptor();
                boolean mono = name.contains("mono")
                        || name.contains("courier")
                        || name.contains("consol")
                        || (descriptor != null && descriptor.isFixedPitch());
                return new FontStyle(isBoldFont(name, descriptor), mono);
            });
            return lastStyle;
        }

        @Override
        protected void writeString(String string, List<TextPosition> textPositions) {
            text.append(string);
            positions.addAll(textPositions);
        }

        @Override
        protected void writeWordSeparator() {
            text.append(' ');
        }

        @Override
        protected void writeLineSeparator() {
            finishLine();
        }

        @Override
        protected void writeParagraphEnd() {
            finishLine();
        }

        @Override
        protected void writePageEnd() {
            finishLine();
        }

        private void finishLine() {
            if (isBlank(text) || positions.isEmpty()) {
                text.setLength(0);
                positions.clear();
                return;
            }
            characters += text.length();
            if (characters > maxCharacters) {
                truncated = true;
                text.setLength(0);
                positions.clear();
                return;
            }
            // a wide horizontal gap splits a line: two columns or table cells drawn on one baseline
            int count = positions.size();
            int start = 0;
            TextPosition previous = positions.getFirst();
            float previousEnd = previous.getXDirAdj() + previous.getWidthDirAdj();
            for (int i = 1; i < count; i++) {
                TextPosition position = positions.get(i);
                float x = position.getXDirAdj();
                float gap = x - previousEnd;
                float size = Math.max(previous.getFontSizeInPt(), 4);
                if (gap > size * 2.5f) {
                    addSegment(positions.subList(start, i), null);
                    start = i;
                }
                previous = position;
                previousEnd = x + position.getWidthDirAdj();
            }
            if (start == 0) {
                // PDFBox's own line text keeps its word separators and right-to-left reordering
                addSegment(positions, text.toString());
            } else {
                addSegment(positions.subList(start, count), null);
            }
            text.setLength(0);
            positions.clear();
        }

        /** {@link String#isBlank} of the builder's content, without copying it. */
        private static boolean isBlank(CharSequence chars) {
            for (int i = 0; i < chars.length(); ) {
                int codePoint = Character.codePointAt(chars, i);
                if (!Character.isWhitespace(codePoint)) {
                    return false;
                }
                i += Character.charCount(codePoint);
            }
            return true;
        }

        /**
         * @param segment positions of one segment of the current line (a view of {@link #positions}, read before it is
         *     cleared)
         * @param lineText the line's text as PDFBox wrote it, or null to rebuild it from the positions
         */
        private void addSegment(List<TextPosition> segment, String lineText) {
            int count = segment.size();
            StringBuilder segmentText = lineText == null ? new StringBuilder(count + count / 4 + 4) : null;
            float x0 = Float.MAX_VALUE;
            float x1 = -Float.MAX_VALUE;
            float top = Float.MAX_VALUE;
            float bottom = -Float.MAX_VALUE;
            sizes.clear();
            int bold = 0;
            int mono = 0;
            List<Glyph> glyphs = new ArrayList<>(count);
            float previousEnd = 0;
            float previousSize = 0;
            for (int i = 0; i < count; i++) {
                TextPosition position = segment.get(i);
                float x = position.getXDirAdj();
                float end = x + position.getWidthDirAdj();
                float fontSize = position.getFontSizeInPt();
                String unicode = position.getUnicode();
                if (segmentText != null) {
                    if (i > 0 && x - previousEnd > Math.max(previousSize, 4) * 0.2f) {
                        segmentText.append(' ');
                    }
                    segmentText.append(unicode);
                }
                previousEnd = end;
                previousSize = fontSize;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, end);
                float y = position.getYDirAdj();
                top = Math.min(top, y - position.getHeightDir());
                bottom = Math.max(bottom, y);
                if (weighsInSize(unicode)) {
                    sizes.add(roundSize(fontSize));
                }
                FontStyle style = style(position.getFont());
                boolean boldGlyph = style.bold();
                if (boldGlyph) {
                    bold++;
                }
                glyphs.add(new Glyph(TextRepair.ligatures(unicode), x, end, fontSize, boldGlyph));
                if (style.mono()) {
                    mono++;
                }
            }
            String rawText = lineText != null ? lineText : segmentText.toString();
            if (rawText.isBlank()) {
                return;
            }
            if (sizes.isEmpty()) {
                for (int i = 0; i < count; i++) {
                    sizes.add(roundSize(segment.get(i).getFontSizeInPt()));
                }
            }
            float size = sizes.mostFrequent();
            lines.computeIfAbsent(getCurrentPageNo(), page -> new ArrayList<>())
                    .add(new Line(
                            getCurrentPageNo(),
                            TextRepair.ligatures(rawText),
                            x0,
                            x1,
                            top,
                            bottom,
                            size,
                            bold * 10 >= count * 6,
                            mono * 10 >= count * 8,
                            glyphs,
                            null));
        }
    }
}
