package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Assembles a {@link CanonicalDocument}: normalizes block text as spec/02 §2.3 says, drops empty blocks, assigns block
 * ids and code-point offsets, and drops blocks beyond the character limit (reason {@code limit_exceeded}). Not
 * thread-safe; one builder per parse.
 */
public final class CanonicalDocumentBuilder {
    /**
     * Control characters other than whitespace (NUL, backspace, escape, DEL, the C1 range...): text extraction leaves
     * them behind (UTF-16 read as bytes, font encodings), they carry no meaning, and PostgreSQL refuses NUL in text.
     */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\t\\n\\r\\f\\u000B]]");

    private static final Pattern INLINE_WHITESPACE = Pattern.compile("[\\s\\u00A0\\u2028\\u2029]+");
    private static final Pattern TRAILING_WHITESPACE = Pattern.compile("[ \\t\\u00A0]+$", Pattern.MULTILINE);

    private final long maxCharacters;
    private final List<Block> blocks = new ArrayList<>();
    private final List<Furniture> furniture = new ArrayList<>();
    private final Map<String, Long> dropped = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final SortedMap<String, String> metadata = new TreeMap<>();
    private int offset;
    private int pageCount = 1;
    private String sourceEncoding;
    private final SortedMap<Integer, Double> ocrConfidenceOfPage = new TreeMap<>();
    private double lowOcrConfidenceThreshold = DEFAULT_LOW_OCR_CONFIDENCE;
    private String ocrEngine;
    private int trackedChanges;
    private final List<Attachment> attachments = new ArrayList<>();

    /** {@code ocr.low_confidence_threshold}'s default (PAR-5). */
    public static final double DEFAULT_LOW_OCR_CONFIDENCE = 0.7;

    public CanonicalDocumentBuilder(long maxCharacters) {
        if (maxCharacters < 1) {
            throw new IllegalArgumentException("max characters must be >= 1: " + maxCharacters);
        }
        this.maxCharacters = maxCharacters;
    }

    /** Runs of whitespace (line breaks included) become one space; the result is trimmed. */
    public static String normalizeInline(String raw) {
        return INLINE_WHITESPACE
                .matcher(CONTROL.matcher(raw).replaceAll(""))
                .replaceAll(" ")
                .strip();
    }

    /** A code block keeps its lines and indentation; trailing whitespace and blank edge lines are trimmed. */
    public static String normalizeCode(String raw) {
        String text = TRAILING_WHITESPACE
                .matcher(CONTROL.matcher(raw)
                        .replaceAll("")
                        .replace("\r\n", "\n")
                        .replace('\r', '\n')
                        .replace("\t", "    "))
                .replaceAll("");
        int start = 0;
        while (start < text.length() && text.charAt(start) == '\n') {
            start++;
        }
        int end = text.length();
        while (end > start && text.charAt(end - 1) == '\n') {
            end--;
        }
        return text.substring(start, end);
    }

    public CanonicalDocumentBuilder heading(int level, String raw, int page) {
        return addText(BlockType.HEADING, Math.min(Math.max(level, 1), 6), normalizeInline(raw), page, page);
    }

    public CanonicalDocumentBuilder paragraph(String raw, int page, int pageEnd) {
        return addText(BlockType.PARAGRAPH, 0, normalizeInline(raw), page, pageEnd);
    }

    public CanonicalDocumentBuilder listItem(int nestingLevel, String raw, int page) {
        return addText(BlockType.LIST_ITEM, Math.max(nestingLevel, 1), normalizeInline(raw), page, page);
    }

    public CanonicalDocumentBuilder figureCaption(String raw, int page) {
        return addText(BlockType.FIGURE_CAPTION, 0, normalizeInline(raw), page, page);
    }

    public CanonicalDocumentBuilder code(String raw, int page) {
        return addText(BlockType.CODE, 0, normalizeCode(raw), page, page);
    }

    /** Adds a table whose cell texts are normalized here; an all-empty table is skipped. */
    public CanonicalDocumentBuilder table(Table rawTable, int page, int pageEnd) {
        requireNonNull(rawTable, "table is null");
        List<List<String>> cells = rawTable.cells().stream()
                .map(row -> row.stream()
                        .map(CanonicalDocumentBuilder::normalizeInline)
                        .toList())
                .toList();
        if (cells.stream().flatMap(List::stream).allMatch(String::isEmpty)) {
            return this;
        }
        Table table = new Table(rawTable.headerRows(), cells, rawTable.merged());
        return add(BlockType.TABLE, 0, table.text(), page, pageEnd, table);
    }

    public CanonicalDocumentBuilder furniture(int page, Furniture.Kind kind, String raw) {
        String text = normalizeInline(raw);
        if (!text.isEmpty()) {
            furniture.add(new Furniture(page, kind, text));
        }
        return this;
    }

    public CanonicalDocumentBuilder drop(String elementType, int page, String reason, long count) {
        DroppedContent validated = new DroppedContent(elementType, page, reason, count);
        dropped.merge(key(validated), count, Long::sum);
        return this;
    }

    public CanonicalDocumentBuilder warning(String warning) {
        warnings.add(requireNonNull(warning, "warning is null"));
        return this;
    }

    public CanonicalDocumentBuilder metadata(String key, String value) {
        if (value != null && !normalizeInline(value).isEmpty()) {
            metadata.put(requireNonNull(key, "key is null"), normalizeInline(value));
        }
        return this;
    }

    public CanonicalDocumentBuilder pageCount(int pageCount) {
        if (pageCount < 1) {
            throw new IllegalArgumentException("page count must be >= 1: " + pageCount);
        }
        this.pageCount = pageCount;
        return this;
    }

    public CanonicalDocumentBuilder sourceEncoding(String sourceEncoding) {
        this.sourceEncoding = sourceEncoding;
        return this;
    }

    /**
     * Marks {@code page} as recognized by OCR with a mean word confidence in [0, 1] (rounded to 4 decimals); a page
     * under the low-confidence threshold is listed in {@code stats.low_ocr_confidence_pages} with warning
     * {@code low_ocr_confidence}.
     */
    public CanonicalDocumentBuilder ocrPage(int page, double confidence) {
        if (page < 1 || !(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("invalid OCR page " + page + " confidence " + confidence);
        }
        ocrConfidenceOfPage.put(page, Math.round(confidence * 10_000) / 10_000.0);
        pageCount = Math.max(pageCount, page);
        return this;
    }

    public CanonicalDocumentBuilder lowOcrConfidenceThreshold(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("low OCR confidence threshold outside [0, 1]: " + threshold);
        }
        this.lowOcrConfidenceThreshold = threshold;
        return this;
    }

    /** The OCR engine and version, recorded in the lineage when a page was OCR'd. */
    public CanonicalDocumentBuilder ocrEngine(String engine) {
        this.ocrEngine = engine;
        return this;
    }

    public CanonicalDocumentBuilder trackedChanges(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("tracked changes must be >= 0: " + count);
        }
        this.trackedChanges = count;
        return this;
    }

    public CanonicalDocumentBuilder attachment(Attachment attachment) {
        attachments.add(requireNonNull(attachment, "attachment is null"));
        return this;
    }

    /** Code points of canonical text so far. */
    public long characters() {
        return offset;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    private CanonicalDocumentBuilder addText(BlockType type, int level, String text, int page, int pageEnd) {
        return add(type, level, text, page, pageEnd, null);
    }

    private CanonicalDocumentBuilder add(BlockType type, int level, String text, int page, int pageEnd, Table table) {
        if (text.isEmpty()) {
            return this;
        }
        int length = text.codePointCount(0, text.length());
        int start = blocks.isEmpty() ? 0 : offset + CanonicalDocument.BLOCK_SEPARATOR.length();
        if ((long) start + length > maxCharacters) {
            drop("text", page, "limit_exceeded", 1);
            return this;
        }
        pageCount = Math.max(pageCount, pageEnd);
        blocks.add(new Block(
                "b%04d".formatted(blocks.size() + 1), type, level, text, page, pageEnd, start, start + length, table));
        offset = start + length;
        return this;
    }

    private static String key(DroppedContent content) {
        return content.elementType() + "\u0000" + "%010d".formatted(content.page()) + "\u0000" + content.reason();
    }

    public CanonicalDocument build(
            TenantId tenant,
            String mimeType,
            String rawSha256,
            String parser,
            String parserVersion,
            String parseConfigSha256,
            String engineVersion) {
        List<Page> pages = new ArrayList<>();
        int previousEnd = 0;
        for (int page = 1; page <= pageCount; page++) {
            int start = -1;
            int end = -1;
            for (Block block : blocks) {
                if (block.page() == page && start < 0) {
                    start = block.startChar();
                }
                if (block.page() <= page && block.pageEnd() >= page) {
                    end = block.endChar();
                }
            }
            if (start < 0) {
                start = firstStartAfter(page, previousEnd);
                end = start;
            }
            end = Math.max(end, start);
            Double confidence = ocrConfidenceOfPage.get(page);
            pages.add(new Page(page, start, end, confidence != null, confidence));
            previousEnd = end;
        }
        List<DroppedContent> droppedContent = new ArrayList<>();
        dropped.forEach((key, count) -> {
            String[] parts = key.split("\u0000", -1);
            droppedContent.add(new DroppedContent(parts[0], Integer.parseInt(parts[1]), parts[2], count));
        });
        String text = String.join(
                CanonicalDocument.BLOCK_SEPARATOR,
                blocks.stream().map(Block::text).toList());
        int sections =
                (int) blocks.stream().filter(b -> b.type() == BlockType.HEADING).count();
        int tables =
                (int) blocks.stream().filter(b -> b.type() == BlockType.TABLE).count();
        List<Integer> lowPages = new ArrayList<>();
        double confidenceSum = 0;
        for (Map.Entry<Integer, Double> entry : ocrConfidenceOfPage.entrySet()) {
            confidenceSum += entry.getValue();
            if (entry.getValue() < lowOcrConfidenceThreshold) {
                lowPages.add(entry.getKey());
            }
        }
        List<String> allWarnings = new ArrayList<>(warnings);
        if (!lowPages.isEmpty()) {
            allWarnings.add("low_ocr_confidence");
        }
        int ocrPages = ocrConfidenceOfPage.size();
        Double averageConfidence = ocrPages == 0 ? null : Math.round(confidenceSum / ocrPages * 10_000) / 10_000.0;
        DocumentStats stats = new DocumentStats(
                pageCount,
                sections,
                tables,
                blocks.size(),
                offset,
                sourceEncoding,
                droppedContent,
                allWarnings,
                ocrPages,
                averageConfidence,
                lowPages,
                trackedChanges);
        Lineage lineage = new Lineage(
                rawSha256,
                parser,
                parserVersion,
                parseConfigSha256,
                engineVersion,
                DocId.sha256Hex(text),
                ocrPages == 0 ? null : ocrEngine);
        return new CanonicalDocument(
                DocId.of(tenant, rawSha256),
                tenant,
                mimeType,
                pages,
                blocks,
                furniture,
                metadata,
                lineage,
                stats,
                attachments);
    }

    private int firstStartAfter(int page, int fallback) {
        for (Block block : blocks) {
            if (block.page() > page) {
                return block.startChar();
            }
        }
        return Math.max(fallback, offset);
    }
}
