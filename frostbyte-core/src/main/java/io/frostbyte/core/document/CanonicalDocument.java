package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The canonical structured document of spec/02 §2.3. The canonical text is the block texts in reading order joined by
 * {@code "\n\n"}; every block's offsets index into it exactly (code points, end exclusive). Furniture is kept apart.
 *
 * <p>Build one with {@link CanonicalDocumentBuilder}, which computes the offsets.
 *
 * @param mimeType the detected type of the source
 * @param pages every page from 1, in order
 * @param blocks in reading order
 * @param metadata document properties stored in the file ({@code title}, {@code author}, {@code created}), sorted
 * @param attachments a message's attachments in message order (listed, never parsed); empty for other formats
 */
public record CanonicalDocument(
        DocId docId,
        TenantId tenantId,
        String mimeType,
        List<Page> pages,
        List<Block> blocks,
        List<Furniture> furniture,
        SortedMap<String, String> metadata,
        Lineage lineage,
        DocumentStats stats,
        List<Attachment> attachments) {
    public static final String SCHEMA_VERSION = "1.0";
    public static final String BLOCK_SEPARATOR = "\n\n";

    public CanonicalDocument {
        requireNonNull(docId, "doc id is null");
        requireNonNull(tenantId, "tenant id is null");
        requireNonNull(mimeType, "mime type is null");
        pages = List.copyOf(requireNonNull(pages, "pages is null"));
        blocks = List.copyOf(requireNonNull(blocks, "blocks is null"));
        furniture = List.copyOf(requireNonNull(furniture, "furniture is null"));
        metadata = java.util.Collections.unmodifiableSortedMap(
                new TreeMap<>(requireNonNull(metadata, "metadata is null")));
        requireNonNull(lineage, "lineage is null");
        requireNonNull(stats, "stats is null");
        attachments = List.copyOf(requireNonNull(attachments, "attachments is null"));
        if (!docId.equals(DocId.of(tenantId, lineage.rawSha256()))) {
            throw new IllegalArgumentException("doc id " + docId + " does not derive from tenant and raw_sha256");
        }
        Set<String> ids = new HashSet<>();
        int expectedStart = 0;
        for (Block block : blocks) {
            if (!ids.add(block.blockId())) {
                throw new IllegalArgumentException("duplicate block id " + block.blockId());
            }
            if (block.startChar() != expectedStart) {
                throw new IllegalArgumentException(
                        "block " + block.blockId() + " starts at " + block.startChar() + ", expected " + expectedStart);
            }
            if (block.pageEnd() > pages.size()) {
                throw new IllegalArgumentException("block " + block.blockId() + " ends after the last page");
            }
            expectedStart = block.endChar() + BLOCK_SEPARATOR.length();
        }
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i).page() != i + 1) {
                throw new IllegalArgumentException("pages must be numbered from 1 without gaps");
            }
        }
        if (stats.blockCount() != blocks.size() || stats.pageCount() != pages.size()) {
            throw new IllegalArgumentException("stats counts differ from the document");
        }
        String text = joinedText(blocks);
        if (stats.totalCharacters() != text.codePointCount(0, text.length())) {
            throw new IllegalArgumentException("stats.total_characters differs from the canonical text");
        }
        if (!lineage.canonicalTextSha256().equals(DocId.sha256Hex(text))) {
            throw new IllegalArgumentException("lineage.canonical_text_sha256 differs from the canonical text");
        }
    }

    /** A document without attachments. */
    public CanonicalDocument(
            DocId docId,
            TenantId tenantId,
            String mimeType,
            List<Page> pages,
            List<Block> blocks,
            List<Furniture> furniture,
            SortedMap<String, String> metadata,
            Lineage lineage,
            DocumentStats stats) {
        this(docId, tenantId, mimeType, pages, blocks, furniture, metadata, lineage, stats, List.of());
    }

    /** Block texts in reading order joined by {@code "\n\n"}; furniture excluded. */
    public String canonicalText() {
        return joinedText(blocks);
    }

    private static String joinedText(List<Block> blocks) {
        StringBuilder text = new StringBuilder();
        for (Block block : blocks) {
            if (!text.isEmpty()) {
                text.append(BLOCK_SEPARATOR);
            }
            text.append(block.text());
        }
        return text.toString();
    }

    /** Sections opened by the headings, in reading order. */
    public List<Section> sections() {
        return sectionLayout().sections();
    }

    /** The innermost section of each block (null before the first heading), keyed by block id. */
    public Map<String, String> sectionOfBlock() {
        return sectionLayout().sectionOfBlock();
    }

    private SectionLayout sectionLayout() {
        record Open(String id, String title, int level, String parentId, int page, int startChar) {}
        List<Section> sections = new ArrayList<>();
        Map<String, String> sectionOfBlock = new TreeMap<>();
        Map<String, Integer> endOf = new TreeMap<>();
        Deque<Open> open = new ArrayDeque<>();
        int counter = 0;
        List<Open> opened = new ArrayList<>();
        for (Block block : blocks) {
            if (block.type() == BlockType.HEADING) {
                while (!open.isEmpty() && open.peek().level() >= block.level()) {
                    open.pop();
                }
                counter++;
                Open section = new Open(
                        "s%03d".formatted(counter),
                        block.text(),
                        block.level(),
                        open.isEmpty() ? null : open.peek().id(),
                        block.page(),
                        block.startChar());
                open.push(section);
                opened.add(section);
            }
            for (Open section : open) {
                endOf.put(section.id(), block.endChar());
            }
            if (!open.isEmpty()) {
                sectionOfBlock.put(block.blockId(), open.peek().id());
            }
        }
        for (Open section : opened) {
            sections.add(new Section(
                    section.id(),
                    section.title(),
                    section.level(),
                    section.parentId(),
                    section.page(),
                    section.startChar(),
                    endOf.get(section.id())));
        }
        return new SectionLayout(List.copyOf(sections), java.util.Collections.unmodifiableMap(sectionOfBlock));
    }

    private record SectionLayout(List<Section> sections, Map<String, String> sectionOfBlock) {}
}
