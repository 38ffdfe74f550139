package io.frostbyte.bench.parse;

import io.frostbyte.core.document.Block;
import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocument;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares one canonical document with its ground truth (blocks aligned by normalized text) and accumulates counts,
 * so scores can be summed over the documents of a format (micro averages). Not thread-safe.
 */
final class ParseScore {
    private static final int MAX_EDIT_CHARS = 40_000;
    /** {@code -Dfrostbyte.parse.verbose=true} prints each heading miss and false heading to stderr. */
    private static final boolean VERBOSE = Boolean.getBoolean("frostbyte.parse.verbose");

    int documents;
    int aligned;
    int typeAgreements;
    int predictedHeadings;
    int expectedHeadings;
    int matchedHeadings;
    int headingLevelAgreements;
    int expectedTables;
    int tablesWithExactShape;
    long predictedCells;
    long expectedCells;
    long matchedCells;
    double similaritySum;
    int orderPairs;
    int orderAgreements;
    int expectedFurniture;
    int furnitureKeptOut;

    void add(CanonicalDocument document, GroundTruth truth) {
        documents++;
        List<Block> blocks = document.blocks();
        List<GroundTruth.Element> expected = truth.elements();
        // alignment of text elements by normalized text, first unused match in order
        Map<String, List<Integer>> blocksByText = new HashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).type() != BlockType.TABLE) {
                blocksByText
                        .computeIfAbsent(key(blocks.get(i).text()), k -> new ArrayList<>())
                        .add(i);
            }
        }
        List<Integer> alignedOrder = new ArrayList<>();
        for (GroundTruth.Element element : expected) {
            if (element.type().equals("table")) {
                continue;
            }
            List<Integer> candidates = blocksByText.get(key(element.text()));
            if (candidates == null || candidates.isEmpty()) {
                continue;
            }
            int index = candidates.removeFirst();
            Block block = blocks.get(index);
            aligned++;
            alignedOrder.add(index);
            if (block.type().wireName().equals(element.type())) {
                typeAgreements++;
            }
        }
        for (int i = 1; i < alignedOrder.size(); i++) {
            orderPairs++;
            if (alignedOrder.get(i) > alignedOrder.get(i - 1)) {
                orderAgreements++;
            }
        }
        headings(blocks, expected);
        tables(blocks, expected);
        similaritySum += similarity(document.canonicalText(), markdownText(truth.markdown()));
        java.util.Set<String> body = new java.util.HashSet<>();
        for (Block block : blocks) {
            body.add(key(block.text()));
        }
        for (String furniture : truth.furniture()) {
            expectedFurniture++;
            if (!body.contains(key(furniture))) {
                furnitureKeptOut++;
            }
        }
    }

    /**
     * Heading levels are compared as dense ranks within the document (title 0 and section levels of the ground truth,
     * 1-6 of ours), because docling numbers levels differently per format (an HTML h2 is its level 1, a DOCX Heading 1
     * too).
     */
    private void headings(List<Block> blocks, List<GroundTruth.Element> expected) {
        Map<String, List<Integer>> expectedLevels = new HashMap<>();
        java.util.TreeSet<Integer> truthLevels = new java.util.TreeSet<>();
        for (GroundTruth.Element element : expected) {
            if (element.type().equals("heading")) {
                expectedHeadings++;
                truthLevels.add(element.level());
                expectedLevels
                        .computeIfAbsent(key(element.text()), k -> new ArrayList<>())
                        .add(element.level());
            }
        }
        java.util.TreeSet<Integer> ourLevels = new java.util.TreeSet<>();
        for (Block block : blocks) {
            if (block.type() == BlockType.HEADING) {
                ourLevels.add(block.level());
            }
        }
        List<Integer> truthRanks = new ArrayList<>(truthLevels);
        List<Integer> ourRanks = new ArrayList<>(ourLevels);
        for (Block block : blocks) {
            if (block.type() != BlockType.HEADING) {
                continue;
            }
            predictedHeadings++;
            List<Integer> levels = expectedLevels.get(key(block.text()));
            if (levels != null && !levels.isEmpty()) {
                matchedHeadings++;
                int truthLevel = levels.removeFirst();
                if (truthRanks.indexOf(truthLevel) == ourRanks.indexOf(block.level())) {
                    headingLevelAgreements++;
                } else if (VERBOSE) {
                    System.err.printf(
                            Locale.ROOT,
                            "  heading level   ours %d truth %d  %s%n",
                            block.level(),
                            truthLevel,
                            abbreviate(block.text()));
                }
            } else if (VERBOSE) {
                System.err.printf(
                        Locale.ROOT, "  heading false   ours %d  %s%n", block.level(), abbreviate(block.text()));
            }
        }
        if (VERBOSE) {
            expectedLevels.forEach((text, levels) -> levels.forEach(level ->
                    System.err.printf(Locale.ROOT, "  heading missed  truth %d  %s%n", level, abbreviate(text))));
        }
    }

    /**
     * Shape: each ground-truth table paired one to one, in order, with the unused predicted table sharing most cell
     * texts. Cell-text F1: the bag of non-empty cell texts of all tables of the document against the ground truth's,
     * so that splitting one sheet into several tables (as docling does) or not is not scored as lost cells.
     */
    private void tables(List<Block> blocks, List<GroundTruth.Element> expected) {
        List<List<List<String>>> predicted = new ArrayList<>();
        List<String> predictedBag = new ArrayList<>();
        for (Block block : blocks) {
            if (block.table() != null) {
                predicted.add(block.table().cells());
                predictedBag.addAll(nonEmpty(block.table().cells()));
            }
        }
        List<String> expectedBag = new ArrayList<>();
        boolean[] used = new boolean[predicted.size()];
        for (GroundTruth.Element element : expected) {
            if (!element.type().equals("table")) {
                continue;
            }
            expectedTables++;
            List<String> truthCells = nonEmpty(element.cells());
            expectedBag.addAll(truthCells);
            int best = -1;
            long bestMatched = -1;
            for (int i = 0; i < predicted.size(); i++) {
                if (!used[i]) {
                    long matched = intersection(truthCells, nonEmpty(predicted.get(i)));
                    if (matched > bestMatched) {
                        best = i;
                        bestMatched = matched;
                    }
                }
            }
            if (best < 0) {
                if (VERBOSE) {
                    System.err.printf(
                            Locale.ROOT,
                            "  table missed    truth %s  %s%n",
                            shape(element.cells()),
                            firstRow(element.cells()));
                }
                continue;
            }
            used[best] = true;
            List<List<String>> grid = predicted.get(best);
            boolean exact = grid.size() == element.cells().size()
                    && !element.cells().isEmpty()
                    && grid.getFirst().size() == element.cells().getFirst().size();
            if (exact) {
                tablesWithExactShape++;
            }
            if (VERBOSE && (!exact || bestMatched < truthCells.size())) {
                System.err.printf(
                        Locale.ROOT,
                        "  table shape     ours %s truth %s  cells %d/%d  %s%n",
                        shape(grid),
                        shape(element.cells()),
                        bestMatched,
                        truthCells.size(),
                        firstRow(element.cells()));
            }
        }
        if (VERBOSE) {
            for (int i = 0; i < predicted.size(); i++) {
                if (!used[i]) {
                    System.err.printf(
                            Locale.ROOT,
                            "  table false     ours %s  %s%n",
                            shape(predicted.get(i)),
                            firstRow(predicted.get(i)));
                }
            }
        }
        if (!expectedBag.isEmpty() || !predictedBag.isEmpty()) {
            predictedCells += predictedBag.size();
            expectedCells += expectedBag.size();
            matchedCells += intersection(expectedBag, predictedBag);
        }
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= 90 ? line : line.substring(0, 90) + "…";
    }

    /** Rows x columns of the first row, for the verbose output. */
    private static String shape(List<List<String>> cells) {
        return cells.size() + "x" + (cells.isEmpty() ? 0 : cells.getFirst().size());
    }

    private static String firstRow(List<List<String>> cells) {
        return cells.isEmpty() ? "" : abbreviate(String.join(" | ", cells.getFirst()));
    }

    private static List<String> nonEmpty(List<List<String>> cells) {
        List<String> texts = new ArrayList<>();
        for (List<String> row : cells) {
            for (String cell : row) {
                String text = key(cell);
                if (!text.isEmpty()) {
                    texts.add(text);
                }
            }
        }
        return texts;
    }

    private static long intersection(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        a.forEach(text -> counts.merge(text, 1, Integer::sum));
        long matched = 0;
        for (String text : b) {
            Integer count = counts.get(text);
            if (count != null && count > 0) {
                matched++;
                counts.put(text, count - 1);
            }
        }
        return matched;
    }

    /** The alignment key: {@link #normalize} without any whitespace (PDF word spacing differs between extractors). */
    static String key(String text) {
        return normalize(text).replace(" ", "");
    }

    /**
     * Lower case, NFKC, Markdown emphasis and escapes removed, control characters removed (the canonical text never
     * holds them, see {@code CanonicalDocumentBuilder}; some ground truth keeps extraction debris such as U+0084
     * for bullet glyphs), whitespace collapsed.
     */
    static String normalize(String text) {
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        normalized = normalized.replaceAll("[*_`\\\\]", "").replaceAll("[\\p{Cc}&&[^\\s]]", "");
        return normalized.replaceAll("\\s+", " ").strip();
    }

    /** The text of ground-truth Markdown: markup, table rules and image comments removed. */
    static String markdownText(String markdown) {
        StringBuilder text = new StringBuilder();
        for (String line : markdown.lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("<!--") || stripped.matches("\\|?[\\s:|-]*-[\\s:|-]*\\|?")) {
                continue;
            }
            stripped = stripped.replaceFirst("^#{1,6}\\s+", "")
                    .replaceFirst("^([-*+]|\\d{1,9}[.)])\\s+", "")
                    .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                    .replace("|", " ");
            text.append(stripped).append(' ');
        }
        return text.toString();
    }

    /** 1 - normalized Levenshtein distance between the normalized texts (each cut at {@link #MAX_EDIT_CHARS}). */
    static double similarity(String ours, String truth) {
        String a = normalize(ours.replace("|", " "));
        String b = normalize(truth);
        a = a.substring(0, Math.min(a.length(), MAX_EDIT_CHARS));
        b = b.substring(0, Math.min(b.length(), MAX_EDIT_CHARS));
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            char ca = a.charAt(i - 1);
            for (int j = 1; j <= b.length(); j++) {
                int cost = ca == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return 1.0 - (double) previous[b.length()] / Math.max(a.length(), b.length());
    }

    double elementTypeAccuracy() {
        return ratio(typeAgreements, aligned);
    }

    double headingPrecision() {
        return ratio(matchedHeadings, predictedHeadings);
    }

    double headingRecall() {
        return ratio(matchedHeadings, expectedHeadings);
    }

    double headingF1() {
        return f1(headingPrecision(), headingRecall(), predictedHeadings + expectedHeadings);
    }

    double headingLevelAccuracy() {
        return ratio(headingLevelAgreements, matchedHeadings);
    }

    double tableShapeExactMatch() {
        return ratio(tablesWithExactShape, expectedTables);
    }

    double tableCellF1() {
        return f1(
                ratio(matchedCells, predictedCells),
                ratio(matchedCells, expectedCells),
                predictedCells + expectedCells);
    }

    double textSimilarity() {
        return documents == 0 ? Double.NaN : similaritySum / documents;
    }

    double readingOrder() {
        return ratio(orderAgreements, orderPairs);
    }

    double furnitureKeptOut() {
        return ratio(furnitureKeptOut, expectedFurniture);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static double f1(double precision, double recall, long support) {
        if (support == 0) {
            return Double.NaN;
        }
        if (!(precision + recall > 0)) {
            return 0;
        }
        return 2 * precision * recall / (precision + recall);
    }
}
