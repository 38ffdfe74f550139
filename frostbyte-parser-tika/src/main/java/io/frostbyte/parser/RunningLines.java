package io.frostbyte.parser;

import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocumentBuilder;
import io.frostbyte.core.document.Furniture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds running headers and footers of a paginated text layer: the first (last) line of a page whose text, with digits
 * masked, is the first (last) line of more than half of the pages (at least {@link #MIN_PAGES} pages). Such lines are
 * moved from the blocks to furniture.
 */
final class RunningLines {
    static final int MIN_PAGES = 3;

    private RunningLines() {}

    static void moveToFurniture(Extraction extraction) {
        if (extraction.pageCount < MIN_PAGES) {
            return;
        }
        Set<String> headers = repeated(extraction, true);
        Set<String> footers = repeated(extraction, false);
        if (headers.isEmpty() && footers.isEmpty()) {
            return;
        }
        for (int page = 1; page <= extraction.pageCount; page++) {
            strip(extraction, page, true, headers);
            strip(extraction, page, false, footers);
        }
        extraction.blocks.removeIf(
                block -> block.table() == null && block.text().isBlank());
    }

    private static Set<String> repeated(Extraction extraction, boolean top) {
        Map<String, Integer> counts = new HashMap<>();
        for (int page = 1; page <= extraction.pageCount; page++) {
            int index = edgeBlock(extraction.blocks, page, top);
            if (index >= 0) {
                counts.merge(key(edgeLine(extraction.blocks.get(index).text(), top)), 1, Integer::sum);
            }
        }
        Set<String> result = new TreeSet<>();
        counts.forEach((key, count) -> {
            if (!key.isEmpty() && count >= 2 && count * 2 > extraction.pageCount) {
                result.add(key);
            }
        });
        return result;
    }

    private static void strip(Extraction extraction, int page, boolean top, Set<String> keys) {
        int index = edgeBlock(extraction.blocks, page, top);
        if (index < 0) {
            return;
        }
        RawBlock block = extraction.blocks.get(index);
        String line = edgeLine(block.text(), top);
        if (!keys.contains(key(line))) {
            return;
        }
        extraction.furniture.add(new Extraction.FurnitureLine(
                page, top ? Furniture.Kind.PAGE_HEADER : Furniture.Kind.PAGE_FOOTER, line));
        List<String> lines = new ArrayList<>(List.of(block.text().strip().split("\n")));
        if (top) {
            lines.removeFirst();
        } else {
            lines.removeLast();
        }
        extraction.blocks.set(index, block.withText(String.join("\n", lines)));
    }

    private static int edgeBlock(List<RawBlock> blocks, int page, boolean top) {
        int found = -1;
        for (int i = 0; i < blocks.size(); i++) {
            RawBlock block = blocks.get(i);
            if (block.page() == page
                    && block.pageEnd() == page
                    && block.table() == null
                    && block.type() != BlockType.CODE
                    && !block.text().isBlank()) {
                found = i;
                if (top) {
                    return i;
                }
            }
        }
        return found;
    }

    private static String edgeLine(String text, boolean top) {
        String[] lines = text.strip().split("\n");
        return lines[top ? 0 : lines.length - 1].strip();
    }

    private static String key(String line) {
        return CanonicalDocumentBuilder.normalizeInline(line).replaceAll("\\d+", "#");
    }
}
