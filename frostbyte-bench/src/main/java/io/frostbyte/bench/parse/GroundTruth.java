package io.frostbyte.bench.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expected structure of one docling test document: body elements in reading order (type, level, text, table
 * grid), running headers/footers, and the Markdown text. Read from the DoclingDocument JSON when there is one, else
 * from the ground-truth Markdown.
 */
record GroundTruth(List<Element> elements, List<String> furniture, String markdown) {
    /** One expected body element; {@code type} uses the canonical block type names. */
    record Element(String type, int level, String text, List<List<String>> cells) {}

    private static final int MAX_DEPTH = 64;
    private static final Pattern MD_HEADING = Pattern.compile("^(#{1,6})\\s+(.*)$");
    private static final Pattern MD_LIST = Pattern.compile("^(\\s*)([-*+]|\\d{1,9}[.)])\\s+(.*)$");
    private static final Pattern MD_SEPARATOR = Pattern.compile("^\\s*\\|?\\s*:?-+:?\\s*(\\|\\s*:?-+:?\\s*)*\\|?\\s*$");

    static GroundTruth load(Path json, Path markdown) throws IOException {
        String md = Files.exists(markdown) ? Files.readString(markdown) : "";
        if (json != null && Files.exists(json)) {
            return fromJson(new ObjectMapper().readTree(json.toFile()), md);
        }
        return fromMarkdown(md);
    }

    private static GroundTruth fromJson(JsonNode root, String md) {
        List<Element> elements = new ArrayList<>();
        List<String> furniture = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        walk(root, root.path("body"), elements, seen, 0);
        for (JsonNode text : root.path("texts")) {
            String label = text.path("label").asText();
            if (label.equals("page_header") || label.equals("page_footer")) {
                furniture.add(text.path("text").asText());
            }
        }
        return new GroundTruth(List.copyOf(elements), List.copyOf(furniture), md);
    }

    private static void walk(JsonNode root, JsonNode node, List<Element> out, Set<String> seen, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        for (JsonNode child : node.path("children")) {
            String ref = child.path("$ref").asText();
            if (!seen.add(ref) || !ref.startsWith("#/")) {
                continue;
            }
            String[] parts = ref.substring(2).split("/");
            JsonNode item = root.path(parts[0]).path(Integer.parseInt(parts[1]));
            if (!item.path("content_layer").asText("body").equals("body")) {
                continue;
            }
            switch (parts[0]) {
                case "groups" -> {
                    if (item.path("label").asText().equals("sheet")
                            && !item.path("name").asText().isBlank()) {
                        out.add(new Element("heading", 0, item.path("name").asText(), null));
                    }
                }
                case "texts" -> {
                    String label = item.path("label").asText();
                    String text = item.path("text").asText();
                    if (!text.isBlank()) {
                        out.add(new Element(type(label), level(label, item), text, null));
                    }
                }
                case "tables" -> out.add(new Element("table", 0, "", grid(item.path("data"))));
                default -> {}
            }
            walk(root, item, out, seen, depth + 1);
        }
    }

    private static String type(String label) {
        return switch (label) {
            case "title", "section_header" -> "heading";
            case "list_item" -> "list_item";
            case "caption" -> "figure_caption";
            case "code" -> "code";
            default -> "paragraph";
        };
    }

    private static int level(String label, JsonNode item) {
        if (label.equals("title")) {
            return 0;
        }
        if (label.equals("section_header")) {
            return Math.max(1, item.path("level").asInt(1));
        }
        return 0;
    }

    private static List<List<String>> grid(JsonNode data) {
        int rows = data.path("num_rows").asInt(0);
        int columns = data.path("num_cols").asInt(0);
        List<List<String>> grid = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                row.add("");
            }
            grid.add(row);
        }
        for (JsonNode cell : data.path("table_cells")) {
            int r = cell.path("start_row_offset_idx").asInt();
            int c = cell.path("start_col_offset_idx").asInt();
            if (r < rows && c < columns) {
                grid.get(r).set(c, cell.path("text").asText());
            }
        }
        return grid;
    }

    static GroundTruth fromMarkdown(String md) {
        List<Element> elements = new ArrayList<>();
        List<String> lines = md.lines().toList();
        StringBuilder paragraph = new StringBuilder();
        boolean code = false;
        StringBuilder codeText = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                flush(paragraph, elements);
                if (code) {
                    elements.add(new Element("code", 0, codeText.toString(), null));
                    codeText.setLength(0);
                }
                code = !code;
                continue;
            }
            if (code) {
                codeText.append(line).append('\n');
                continue;
            }
            Matcher heading = MD_HEADING.matcher(line);
            Matcher list = MD_LIST.matcher(line);
            if (line.isBlank() || line.strip().startsWith("<!--")) {
                flush(paragraph, elements);
            } else if (heading.matches()) {
                flush(paragraph, elements);
                elements.add(new Element("heading", heading.group(1).length(), heading.group(2), null));
            } else if (line.strip().startsWith("|")
                    && i + 1 < lines.size()
                    && MD_SEPARATOR.matcher(lines.get(i + 1)).matches()) {
                flush(paragraph, elements);
                List<List<String>> grid = new ArrayList<>();
                grid.add(cells(line));
                i += 2;
                while (i < lines.size() && lines.get(i).strip().startsWith("|")) {
                    grid.add(cells(lines.get(i)));
                    i++;
                }
                i--;
                elements.add(new Element("table", 0, "", grid));
            } else if (list.matches()) {
                flush(paragraph, elements);
                elements.add(new Element("list_item", list.group(1).length() / 2 + 1, list.group(3), null));
            } else {
                paragraph.append(line).append(' ');
            }
        }
        flush(paragraph, elements);
        return new GroundTruth(List.copyOf(elements), List.of(), md);
    }

    private static List<String> cells(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("|")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("|")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<String> cells = new ArrayList<>();
        for (String cell : trimmed.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static void flush(StringBuilder paragraph, List<Element> elements) {
        if (!paragraph.toString().isBlank()) {
            elements.add(new Element("paragraph", 0, paragraph.toString().strip(), null));
        }
        paragraph.setLength(0);
    }
}
