package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.ParseLimits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown (spec/02 §2.2): ATX and setext headings, bullet and ordered lists (nesting from indentation), pipe tables,
 * fenced and indented code blocks, paragraphs. Emphasis markers and link targets are removed from text.
 */
final class MarkdownReader {
    private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern SETEXT_1 = Pattern.compile("^ {0,3}=+[ \\t]*$");
    private static final Pattern SETEXT_2 = Pattern.compile("^ {0,3}-+[ \\t]*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```+|~~~+).*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^([ \\t]*)([-*+]|\\d{1,9}[.)])[ \\t]+(.*)$");
    private static final Pattern TABLE_SEPARATOR =
            Pattern.compile("^\\s*\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\\s*$");
    private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");
    private static final Pattern EMPHASIS = Pattern.compile("(\\*\\*|__|\\*|`)(?=\\S)(.+?)(?<=\\S)\\1");

    private final List<String> lines;
    private final Extraction extraction = new Extraction();
    private final StringBuilder paragraph = new StringBuilder();
    private final ParseLimits limits;

    private MarkdownReader(List<String> lines, ParseLimits limits) {
        this.lines = lines;
        this.limits = limits;
    }

    static Extraction read(byte[] bytes, ParseLimits limits) {
        SourceText source = SourceText.decode(bytes);
        List<String> lines =
                List.of(source.text().replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
        MarkdownReader reader = new MarkdownReader(lines, limits);
        reader.extraction.sourceEncoding = source.encoding();
        reader.run();
        return reader.extraction;
    }

    private void run() {
        Deque<Integer> listIndents = new ArrayDeque<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            Matcher atx = ATX.matcher(line);
            Matcher item = LIST_ITEM.matcher(line);
            if (fence.matches()) {
                flushParagraph();
                String marker = fence.group(1);
                StringBuilder code = new StringBuilder();
                i++;
                while (i < lines.size() && !lines.get(i).strip().startsWith(marker)) {
                    code.append(lines.get(i)).append('\n');
                    i++;
                }
                add(BlockType.CODE, 0, code.toString());
                i++;
                continue;
            }
            if (line.isBlank()) {
                flushParagraph();
                i++;
                continue;
            }
            if (atx.matches()) {
                flushParagraph();
                listIndents.clear();
                add(BlockType.HEADING, atx.group(1).length(), inline(atx.group(2) == null ? "" : atx.group(2)));
                i++;
                continue;
            }
            if (!paragraph.isEmpty()
                    && !paragraph.toString().contains("\n")
                    && (SETEXT_1.matcher(line).matches()
                            || SETEXT_2.matcher(line).matches())) {
                String title = paragraph.toString();
                paragraph.setLength(0);
                add(BlockType.HEADING, SETEXT_1.matcher(line).matches() ? 1 : 2, inline(title));
                i++;
                continue;
            }
            if (line.contains("|")
                    && i + 1 < lines.size()
                    && TABLE_SEPARATOR.matcher(lines.get(i + 1)).matches()
                    && lines.get(i + 1).contains("-")) {
                flushParagraph();
                List<List<TableGrid.Cell>> rows = new ArrayList<>();
                rows.add(cells(line, true));
                i += 2;
                while (i < lines.size()
                        && lines.get(i).contains("|")
                        && !lines.get(i).isBlank()) {
                    rows.add(cells(lines.get(i), false));
                    i++;
                }
                int columns = rows.stream().mapToInt(List::size).max().orElse(1);
                for (List<TableGrid.Cell> row : rows) {
                    boolean header = row == rows.getFirst();
                    while (row.size() < columns) {
                        row.add(new TableGrid.Cell("", 1, 1, header));
                    }
                }
                TableGrid.Laid laid = TableGrid.layout(rows, limits.maxTableCells());
                if (laid != null && laid.table() != null) {
                    extraction.blocks.add(RawBlock.table(laid.table(), 1, 1));
                    if (laid.droppedCells() > 0) {
                        extraction.drop("table_cell", 1, "limit_exceeded");
                    }
                }
                continue;
            }
            if (item.matches()) {
                flushParagraph();
                int indent = item.group(1).replace("\t", "    ").length();
                while (!listIndents.isEmpty() && listIndents.peek() > indent) {
                    listIndents.pop();
                }
                if (listIndents.isEmpty() || listIndents.peek() < indent) {
                    listIndents.push(indent);
                }
                StringBuilder text = new StringBuilder(item.group(3));
                i++;
                while (i < lines.size()
                        && !lines.get(i).isBlank()
                        && !LIST_ITEM.matcher(lines.get(i)).matches()
                        && (lines.get(i).startsWith(" ") || lines.get(i).startsWith("\t"))) {
                    text.append(' ').append(lines.get(i).strip());
                    i++;
                }
                add(BlockType.LIST_ITEM, listIndents.size(), inline(text.toString()));
                continue;
            }
            if (paragraph.isEmpty() && (line.startsWith("    ") || line.startsWith("\t")) && listIndents.isEmpty()) {
                StringBuilder code = new StringBuilder();
                while (i < lines.size()
                        && (lines.get(i).startsWith("    ")
                                || lines.get(i).startsWith("\t")
                                || lines.get(i).isBlank())) {
                    String codeLine = lines.get(i);
                    code.append(
                                    codeLine.startsWith("\t")
                                            ? codeLine.substring(1)
                                            : codeLine.substring(Math.min(4, codeLine.length())))
                            .append('\n');
                    i++;
                }
                add(BlockType.CODE, 0, code.toString());
                continue;
            }
            if (!line.startsWith(" ") && !line.startsWith("\t")) {
                listIndents.clear();
            }
            if (!paragraph.isEmpty()) {
                paragraph.append('\n');
            }
            paragraph.append(line);
            i++;
        }
        flushParagraph();
    }

    private static List<TableGrid.Cell> cells(String line, boolean header) {
        String trimmed = line.strip();
        if (trimmed.startsWith("|")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("|") && !trimmed.endsWith("\\|")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<TableGrid.Cell> cells = new ArrayList<>();
        for (String cell : trimmed.split("(?<!\\\\)\\|", -1)) {
            cells.add(new TableGrid.Cell(
                    CanonicalDocumentBuilder.normalizeInline(inline(cell.replace("\\|", "|"))), 1, 1, header));
        }
        return cells;
    }

    private static String inline(String text) {
        String withoutLinks = LINK.matcher(text).replaceAll("$1");
        return EMPHASIS.matcher(withoutLinks).replaceAll("$2");
    }

    private void flushParagraph() {
        if (!paragraph.isEmpty()) {
            add(BlockType.PARAGRAPH, 0, inline(paragraph.toString()));
            paragraph.setLength(0);
        }
    }

    private void add(BlockType type, int level, String text) {
        if (!text.isBlank()) {
            extraction.blocks.add(RawBlock.text(type, level, text, 1, 1));
        }
    }
}
