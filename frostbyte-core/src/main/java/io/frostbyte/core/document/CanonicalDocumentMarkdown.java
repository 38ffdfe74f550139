package io.frostbyte.core.document;

import java.util.List;

/**
 * A human-readable Markdown rendering of a {@link CanonicalDocument} (for {@code frostbyte parse --md}): headings as ATX
 * headings, list items indented by level, tables as pipe tables (header row first; a table without header rows gets
 * an empty one), code fenced. Deterministic; not the canonical form (that is {@link CanonicalDocumentJson}).
 */
public final class CanonicalDocumentMarkdown {
    private CanonicalDocumentMarkdown() {}

    public static String write(CanonicalDocument document) {
        StringBuilder out = new StringBuilder();
        for (Block block : document.blocks()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            switch (block.type()) {
                case HEADING ->
                    out.append("#".repeat(block.level()))
                            .append(' ')
                            .append(block.text())
                            .append('\n');
                case PARAGRAPH -> out.append(block.text()).append('\n');
                case LIST_ITEM ->
                    out.append("  ".repeat(block.level() - 1))
                            .append("- ")
                            .append(block.text())
                            .append('\n');
                case FIGURE_CAPTION -> out.append('*').append(block.text()).append("*\n");
                case CODE -> out.append("```\n").append(block.text()).append("\n```\n");
                case TABLE -> table(block.table(), out);
            }
        }
        return out.toString();
    }

    private static void table(Table table, StringBuilder out) {
        List<List<String>> rows = table.cells();
        int start = 0;
        if (table.headerRows() > 0) {
            row(rows.getFirst(), out);
            start = 1;
        } else {
            row(java.util.Collections.nCopies(table.columns(), ""), out);
        }
        out.append('|').append(" --- |".repeat(table.columns())).append('\n');
        for (int r = start; r < rows.size(); r++) {
            row(rows.get(r), out);
        }
    }

    private static void row(List<String> cells, StringBuilder out) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        out.append('\n');
    }
}
