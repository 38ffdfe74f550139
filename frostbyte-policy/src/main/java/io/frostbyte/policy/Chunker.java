package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.chunk.Chunk;
import io.frostbyte.core.chunk.ChunkingParameters;
import io.frostbyte.core.document.Block;
import io.frostbyte.core.document.BlockType;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.Table;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Structure-aware chunker {@value #VERSION} (spec/03 §3.2, POL-4 to POL-10) over a {@link CanonicalDocument}.
 *
 * <ul>
 *   <li>A heading starts a chunk and is its first line; a chunk of headings only merges into the next chunk (unless
 *       that is a table, which stays alone; the headings then form their own chunk).
 *   <li>Blocks are appended while the chunk stays within {@code max}; once it has reached {@code new_after}, the next
 *       block starts a new chunk.
 *   <li>A paragraph over {@code max} splits at sentence boundaries ({@link BreakIterator}, root locale), else at
 *       whitespace, else hard at {@code max}; code splits at line breaks, else hard.
 *   <li>A table is its own chunk, split between rows when over {@code max}, each later piece repeating the header
 *       rows; a single row over {@code max} is one {@code oversize} chunk.
 *   <li>Consecutive list items stay together; an over-long list splits between items only.
 *   <li>Chunks under {@code combine_under} merge into the next chunk of their section, else the previous, if the
 *       result stays within {@code max}; never across a heading or with a table.
 * </ul>
 *
 * <p>Furniture is not part of the canonical text and never reaches a chunk. Offsets are code points of the canonical
 * text. Pure and deterministic: the same document and parameters give the same chunks and ids, byte for byte.
 * Thread-safe and immutable.
 */
public final class Chunker {
    public static final String VERSION = "fb-chunker/1.0.0";

    private final ChunkingParameters parameters;

    public Chunker(ChunkingParameters parameters) {
        this.parameters = requireNonNull(parameters, "parameters is null");
    }

    public ChunkingParameters parameters() {
        return parameters;
    }

    /** Chunks of {@code document} in reading order. */
    public List<Chunk> chunk(CanonicalDocument document) {
        requireNonNull(document, "document is null");
        CodePointText text = new CodePointText(document.canonicalText());
        List<Draft> drafts = group(document.blocks(), text);
        drafts = merge(drafts);
        if (parameters.overlapChars() > 0) {
            drafts = overlap(drafts, text);
        }
        List<Chunk> chunks = new ArrayList<>(drafts.size());
        for (Draft draft : drafts) {
            chunks.add(Chunk.of(
                    document.docId(),
                    document.tenantId(),
                    draft.text != null ? draft.text : text.substring(draft.start, draft.end),
                    draft.page,
                    draft.pageEnd,
                    draft.start,
                    draft.end,
                    draft.elementType(),
                    draft.section.title(),
                    draft.section.path(),
                    draft.section.level(),
                    draft.headerRepeated,
                    draft.oversize));
        }
        return List.copyOf(chunks);
    }

    /** Section context of a chunk: titles from the outermost heading inwards and their levels. */
    private record SectionState(List<String> path, List<Integer> levels) {
        static final SectionState NONE = new SectionState(List.of(), List.of());

        SectionState enter(Block heading) {
            List<String> titles = new ArrayList<>();
            List<Integer> depths = new ArrayList<>();
            for (int i = 0; i < path.size(); i++) {
                if (levels.get(i) < heading.level()) {
                    titles.add(path.get(i));
                    depths.add(levels.get(i));
                }
            }
            titles.add(heading.text());
            depths.add(heading.level());
            return new SectionState(List.copyOf(titles), List.copyOf(depths));
        }

        String title() {
            return path.isEmpty() ? null : path.getLast();
        }

        int level() {
            return levels.isEmpty() ? 0 : levels.getLast();
        }
    }

    /** A chunk being built: a range of canonical text (or an explicit text for repeated table headers). */
    private static final class Draft {
        int start;
        int end;
        int page;
        int pageEnd;
        SectionState section;
        final List<BlockType> types = new ArrayList<>();
        boolean table;
        boolean headerRepeated;
        boolean oversize;
        String text;

        Draft(int start, int end, int page, int pageEnd, SectionState section) {
            this.start = start;
            this.end = end;
            this.page = page;
            this.pageEnd = pageEnd;
            this.section = section;
        }

        int length() {
            return end - start;
        }

        boolean headingsOnly() {
            return !types.isEmpty() && types.stream().allMatch(t -> t == BlockType.HEADING);
        }

        boolean startsWithHeading() {
            return !types.isEmpty() && types.getFirst() == BlockType.HEADING;
        }

        String elementType() {
            if (table) {
                return BlockType.TABLE.wireName();
            }
            List<BlockType> content =
                    types.stream().filter(t -> t != BlockType.HEADING).toList();
            if (content.isEmpty()) {
                return BlockType.HEADING.wireName();
            }
            if (content.stream().allMatch(t -> t == BlockType.LIST_ITEM)) {
                return BlockType.LIST_ITEM.wireName();
            }
            return content.getFirst().wireName();
        }
    }

    /** A contiguous piece of one block (or a whole list) that is never split further. */
    private record Unit(int start, int end, BlockType type, int page, int pageEnd) {}

    private List<Draft> group(List<Block> blocks, CodePointText text) {
        List<Draft> drafts = new ArrayList<>();
        SectionState section = SectionState.NONE;
        Draft current = null;
        int i = 0;
        while (i < blocks.size()) {
            Block block = blocks.get(i);
            if (block.type() == BlockType.HEADING) {
                section = section.enter(block);
                if (current == null || !current.headingsOnly()) {
                    close(drafts, current);
                    current = new Draft(block.startChar(), block.endChar(), block.page(), block.pageEnd(), section);
                    current.types.add(BlockType.HEADING);
                } else {
                    current.end = block.endChar();
                    current.pageEnd = Math.max(current.pageEnd, block.pageEnd());
                    current.section = section;
                    current.types.add(BlockType.HEADING);
                }
                i++;
                continue;
            }
            if (block.type() == BlockType.TABLE) {
                close(drafts, current);
                current = null;
                drafts.addAll(tablePieces(block, text, section));
                i++;
                continue;
            }
            List<Unit> units = new ArrayList<>();
            if (block.type() == BlockType.LIST_ITEM) {
                int last = i;
                while (last + 1 < blocks.size() && blocks.get(last + 1).type() == BlockType.LIST_ITEM) {
                    last++;
                }
                List<Block> items = blocks.subList(i, last + 1);
                Block first = items.getFirst();
                Block end = items.getLast();
                if (end.endChar() - first.startChar() <= parameters.maxChars()) {
                    units.add(new Unit(
                            first.startChar(), end.endChar(), BlockType.LIST_ITEM, first.page(), end.pageEnd()));
                } else {
                    for (Block item : items) {
                        units.addAll(split(item, text));
                    }
                }
                i = last + 1;
            } else {
                units.addAll(split(block, text));
                i++;
            }
            for (Unit unit : units) {
                boolean fits = current != null && unit.end() - current.start <= parameters.maxChars();
                boolean full =
                        current != null && !current.headingsOnly() && current.length() >= parameters.newAfterChars();
                if (current == null || (!current.headingsOnly() && (!fits || full))) {
                    close(drafts, current);
                    current = new Draft(unit.start(), unit.end(), unit.page(), unit.pageEnd(), section);
                } else if (current.headingsOnly() && !fits) {
                    close(drafts, current);
                    current = new Draft(unit.start(), unit.end(), unit.page(), unit.pageEnd(), section);
                } else {
                    current.end = unit.end();
                    current.pageEnd = Math.max(current.pageEnd, unit.pageEnd());
                }
                current.types.add(unit.type());
            }
        }
        close(drafts, current);
        return drafts;
    }

    private static void close(List<Draft> drafts, Draft draft) {
        if (draft != null) {
            drafts.add(draft);
        }
    }

    /** A block as units of at most {@code max} code points (POL-6); a block that fits is one unit. */
    private List<Unit> split(Block block, CodePointText text) {
        int max = parameters.maxChars();
        if (block.endChar() - block.startChar() <= max) {
            return List.of(new Unit(block.startChar(), block.endChar(), block.type(), block.page(), block.pageEnd()));
        }
        String body = block.text();
        List<int[]> pieces = new ArrayList<>();
        if (block.type() == BlockType.CODE) {
            pack(body, lineBoundaries(body), max, pieces);
        } else {
            pack(body, sentenceBoundaries(body), max, pieces);
        }
        List<Unit> units = new ArrayList<>(pieces.size());
        for (int[] piece : pieces) {
            // pieces are UTF-16 ranges of the block text; the block text starts at block.startChar() code points
            int start = block.startChar() + body.codePointCount(0, piece[0]);
            int end = start + body.codePointCount(piece[0], piece[1]);
            units.add(new Unit(start, end, block.type(), block.page(), block.pageEnd()));
        }
        return units;
    }

    /**
     * Greedy packing of segments between {@code boundaries} (UTF-16 indices, ascending, from 0 to length) into pieces of
     * at most {@code max} code points; a segment that is itself too long falls back to whitespace, then hard cuts.
     * Leading and trailing whitespace of a piece is left between pieces.
     */
    private static void pack(String body, int[] boundaries, int max, List<int[]> out) {
        int pieceStart = -1;
        int pieceEnd = -1;
        for (int b = 0; b + 1 < boundaries.length; b++) {
            int segmentStart = boundaries[b];
            int segmentEnd = boundaries[b + 1];
            if (segmentStart == segmentEnd) {
                continue;
            }
            if (pieceStart >= 0 && body.codePointCount(pieceStart, segmentEnd) <= max) {
                pieceEnd = segmentEnd;
                continue;
            }
            if (pieceStart >= 0) {
                emit(body, pieceStart, pieceEnd, out);
                pieceStart = -1;
            }
            if (body.codePointCount(segmentStart, segmentEnd) <= max) {
                pieceStart = segmentStart;
                pieceEnd = segmentEnd;
            } else {
                int[] words = whitespaceBoundaries(body, segmentStart, segmentEnd);
                if (words.length > 2) {
                    pack(body, words, max, out);
                } else {
                    hardCuts(body, segmentStart, segmentEnd, max, out);
                }
            }
        }
        if (pieceStart >= 0) {
            emit(body, pieceStart, pieceEnd, out);
        }
    }

    private static void emit(String body, int start, int end, List<int[]> out) {
        while (start < end && Character.isWhitespace(body.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(body.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            out.add(new int[] {start, end});
        }
    }

    private static void hardCuts(String body, int start, int end, int max, List<int[]> out) {
        int from = start;
        while (from < end) {
            int to = from;
            int count = 0;
            while (to < end && count < max) {
                to += Character.charCount(body.codePointAt(to));
                count++;
            }
            emit(body, from, to, out);
            from = to;
        }
    }

    private static int[] sentenceBoundaries(String body) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(body);
        IntList boundaries = new IntList();
        for (int b = sentences.first(); b != BreakIterator.DONE; b = sentences.next()) {
            boundaries.add(b);
        }
        return boundaries.toArray();
    }

    private static int[] lineBoundaries(String body) {
        IntList boundaries = new IntList();
        boundaries.add(0);
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) == '\n') {
                boundaries.add(i + 1);
            }
        }
        boundaries.add(body.length());
        return boundaries.toArray();
    }

    private static int[] whitespaceBoundaries(String body, int start, int end) {
        IntList boundaries = new IntList();
        boundaries.add(start);
        for (int i = start + 1; i < end; i++) {
            if (Character.isWhitespace(body.charAt(i - 1)) && !Character.isWhitespace(body.charAt(i))) {
                boundaries.add(i);
            }
        }
        boundaries.add(end);
        return boundaries.toArray();
    }

    /** POL-7: a table alone, split between rows, later pieces repeating the header rows. */
    private List<Draft> tablePieces(Block block, CodePointText text, SectionState section) {
        Table table = block.table();
        int max = parameters.maxChars();
        List<Draft> pieces = new ArrayList<>();
        if (block.endChar() - block.startChar() <= max) {
            pieces.add(tableDraft(block, block.startChar(), block.endChar(), null, section, false, false));
            return pieces;
        }
        List<String> rows = table.rowTexts();
        int[] rowStart = new int[rows.size() + 1];
        rowStart[0] = block.startChar();
        for (int r = 0; r < rows.size(); r++) {
            rowStart[r + 1] =
                    rowStart[r] + rows.get(r).codePointCount(0, rows.get(r).length()) + 1;
        }
        int headers = Math.min(table.headerRows(), rows.size());
        String header = String.join("\n", rows.subList(0, headers));
        int headerLength = header.codePointCount(0, header.length());
        int first = 0;
        while (first < rows.size()) {
            boolean repeat = first >= headers && headers > 0;
            int prefix = repeat ? headerLength + 1 : 0;
            int last = first;
            // extend while the piece (with its repeated header) stays within max
            while (last + 1 < rows.size() && prefix + rowStart[last + 2] - 1 - rowStart[first] <= max) {
                last++;
            }
            if (first < headers && last < headers - 1 && last + 1 < rows.size()) {
                last = headers - 1;
            }
            int start = rowStart[first];
            int end = rowStart[last + 1] - 1;
            boolean oversize = prefix + end - start > max;
            String own = text.substring(start, end);
            pieces.add(tableDraft(block, start, end, repeat ? header + "\n" + own : null, section, repeat, oversize));
            first = last + 1;
        }
        return pieces;
    }

    private static Draft tableDraft(
            Block block,
            int start,
            int end,
            String explicitText,
            SectionState section,
            boolean headerRepeated,
            boolean oversize) {
        Draft draft = new Draft(start, end, block.page(), block.pageEnd(), section);
        draft.types.add(BlockType.TABLE);
        draft.table = true;
        draft.text = explicitText;
        draft.headerRepeated = headerRepeated;
        draft.oversize = oversize;
        return draft;
    }

    /** POL-9: small chunks join the next chunk of their section, else the previous one, within max. */
    private List<Draft> merge(List<Draft> drafts) {
        int under = parameters.combineUnderChars();
        int max = parameters.maxChars();
        List<Draft> out = new ArrayList<>(drafts.size());
        Draft pending = null;
        for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            if (pending != null) {
                if (!draft.table
                        && !draft.startsWithHeading()
                        && draft.section == pending.section
                        && draft.end - pending.start <= max) {
                    pending.end = draft.end;
                    pending.pageEnd = Math.max(pending.pageEnd, draft.pageEnd);
                    pending.types.addAll(draft.types);
                    draft = pending;
                } else {
                    mergeBackOrKeep(out, pending, max);
                }
                pending = null;
            }
            if (!draft.table && draft.length() < under) {
                pending = draft;
            } else {
                out.add(draft);
            }
        }
        if (pending != null) {
            mergeBackOrKeep(out, pending, max);
        }
        return out;
    }

    private static void mergeBackOrKeep(List<Draft> out, Draft small, int max) {
        Draft previous = out.isEmpty() ? null : out.getLast();
        if (previous != null
                && !previous.table
                && !small.startsWithHeading()
                && previous.section == small.section
                && small.end - previous.start <= max) {
            previous.end = small.end;
            previous.pageEnd = Math.max(previous.pageEnd, small.pageEnd);
            previous.types.addAll(small.types);
        } else {
            out.add(small);
        }
    }

    /** POL-10: each later non-table chunk of a section starts with the tail of its predecessor, cut to a word. */
    private List<Draft> overlap(List<Draft> drafts, CodePointText text) {
        int overlap = parameters.overlapChars();
        for (int i = 1; i < drafts.size(); i++) {
            Draft previous = drafts.get(i - 1);
            Draft draft = drafts.get(i);
            if (draft.table || previous.table || draft.section != previous.section || draft.startsWithHeading()) {
                continue;
            }
            int start = Math.max(previous.start, previous.end - overlap);
            while (start < previous.end && start > 0 && !Character.isWhitespace(text.codePointAt(start - 1))) {
                start++;
            }
            if (start < previous.end) {
                draft.start = Math.min(draft.start, start);
                draft.page = Math.min(draft.page, previous.pageEnd);
            }
        }
        return drafts;
    }

    /** Canonical text addressed by code points (identity when it has no surrogate pairs). */
    private static final class CodePointText {
        private final String text;
        private final int[] utf16;

        CodePointText(String text) {
            this.text = text;
            int codePoints = text.codePointCount(0, text.length());
            if (codePoints == text.length()) {
                this.utf16 = null;
            } else {
                int[] index = new int[codePoints + 1];
                int u = 0;
                for (int c = 0; c < codePoints; c++) {
                    index[c] = u;
                    u += Character.charCount(text.codePointAt(u));
                }
                index[codePoints] = u;
                this.utf16 = index;
            }
        }

        String substring(int start, int end) {
            return utf16 == null ? text.substring(start, end) : text.substring(utf16[start], utf16[end]);
        }

        int codePointAt(int index) {
            return utf16 == null ? text.charAt(index) : text.codePointAt(utf16[index]);
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
