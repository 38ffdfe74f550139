package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.chunk.Chunk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The PII gate over a whole document (spec/03 §3.3): {@link PiiDetector} runs once on the canonical text, so an entity
 * that straddles a chunk boundary is found, and its spans (document-level code points) are then mapped to the chunks
 * that cover them. Under {@code redact} each covered part of a span becomes {@code [REDACTED:<CODE>]} in every chunk
 * it reaches ("a span crossing chunks is replaced in each part"), and the chunk's id is recomputed from its final text;
 * offsets stay those of the canonical text.
 *
 * <p>A chunk's text is the canonical text between its offsets, except a table piece that repeats its header rows
 * ({@code header_repeated}): that text is the header rows, a line break, then its own rows. The header rows are the
 * nearest copy of that prefix in the canonical text before the piece, and spans there are mapped into the prefix too.
 *
 * <p>Pure and deterministic; holds no text between calls.
 */
public final class DocumentPiiGate {
    private DocumentPiiGate() {}

    /** What the gate decided for one chunk; {@code chunk} carries the final text and id. */
    public record ChunkPii(
            Chunk chunk, PiiScanResult scanResult, PiiActionTaken actionTaken, List<PiiType> typesFound) {
        public ChunkPii {
            requireNonNull(chunk, "chunk is null");
            requireNonNull(scanResult, "scanResult is null");
            requireNonNull(actionTaken, "actionTaken is null");
            typesFound = List.copyOf(requireNonNull(typesFound, "typesFound is null"));
        }
    }

    /**
     * One redacted span for {@code redactions/{doc_id}.json}: document-level code-point offsets, the final ids of the
     * chunks it was replaced in, and the original value. {@link #toString()} omits the value (POL-12).
     */
    public record RedactedSpan(PiiType type, int startChar, int endChar, List<String> chunkIds, String original) {
        public RedactedSpan {
            requireNonNull(type, "type is null");
            chunkIds = List.copyOf(requireNonNull(chunkIds, "chunkIds is null"));
            requireNonNull(original, "original is null");
        }

        @Override
        public String toString() {
            return "RedactedSpan[type=" + type + ", start=" + startChar + ", end=" + endChar + ", chunks=" + chunkIds
                    + ", original=<" + (endChar - startChar) + " code points>]";
        }
    }

    /**
     * The gate's result: per-chunk outcomes in chunk order, counts per type over the document (what events and
     * metrics may carry), the originals of redacted spans, and whether the document is blocked.
     */
    public record Result(
            List<ChunkPii> chunks,
            SortedMap<PiiType, Integer> counts,
            List<RedactedSpan> redacted,
            PiiScanResult documentResult,
            PiiActionTaken documentAction) {
        public Result {
            chunks = List.copyOf(requireNonNull(chunks, "chunks is null"));
            counts = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(counts, "counts is null")));
            redacted = List.copyOf(requireNonNull(redacted, "redacted is null"));
            requireNonNull(documentResult, "documentResult is null");
            requireNonNull(documentAction, "documentAction is null");
        }

        /** {@code block} policy and PII of an enabled type: the whole document is quarantined. */
        public boolean blocked() {
            return documentResult == PiiScanResult.BLOCKED;
        }

        public List<Chunk> finalChunks() {
            return chunks.stream().map(ChunkPii::chunk).toList();
        }

        @Override
        public String toString() {
            return "Result[chunks=" + chunks.size() + ", counts=" + counts + ", redacted=" + redacted.size()
                    + ", documentResult=" + documentResult + "]";
        }
    }

    /**
     * Detects PII of {@code enabledTypes} on {@code canonicalText} and applies {@code policy} to {@code chunks}.
     *
     * @param chunks the chunker's chunks of that text, before redaction
     */
    public static Result apply(
            PiiDetector detector,
            String canonicalText,
            List<Chunk> chunks,
            PiiPolicy policy,
            Set<PiiType> enabledTypes) {
        requireNonNull(detector, "detector is null");
        requireNonNull(canonicalText, "canonicalText is null");
        Set<PiiType> enabled = enabledTypes.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(enabledTypes);
        List<PiiSpan> spans = enabled.isEmpty() ? List.of() : detector.detect(canonicalText, enabled);
        return map(canonicalText, chunks, spans, policy, enabled);
    }

    /**
     * Maps document-level {@code spans} (non-overlapping, ordered by start, code points of {@code canonicalText}) to
     * {@code chunks} and applies {@code policy}; spans of types outside {@code enabledTypes} are ignored.
     */
    public static Result map(
            String canonicalText,
            List<Chunk> chunks,
            List<PiiSpan> spans,
            PiiPolicy policy,
            Set<PiiType> enabledTypes) {
        requireNonNull(canonicalText, "canonicalText is null");
        requireNonNull(chunks, "chunks is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(enabledTypes, "enabledTypes is null");
        List<PiiSpan> governed = new ArrayList<>();
        for (PiiSpan span : requireNonNull(spans, "spans is null")) {
            if (enabledTypes.contains(span.type())) {
                governed.add(span);
            }
        }
        governed.sort(PiiSpan.IN_TEXT_ORDER);
        for (int i = 1; i < governed.size(); i++) {
            if (governed.get(i).start() < governed.get(i - 1).end()) {
                throw new IllegalArgumentException(
                        "spans overlap at code point " + governed.get(i).start());
            }
        }
        Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
        for (PiiSpan span : governed) {
            counts.merge(span.type(), 1, Integer::sum);
        }
        CodePoints text = new CodePoints(canonicalText);
        boolean blocked = policy == PiiPolicy.BLOCK && !counts.isEmpty();
        boolean redact = policy == PiiPolicy.REDACT;

        List<ChunkPii> results = new ArrayList<>(chunks.size());
        List<Set<String>> chunkIdsOfSpan = new ArrayList<>(governed.size());
        for (int i = 0; i < governed.size(); i++) {
            chunkIdsOfSpan.add(new LinkedHashSet<>());
        }
        for (Chunk chunk : chunks) {
            List<PiiSpan> local = new ArrayList<>();
            List<Integer> spanIndexes = new ArrayList<>();
            int ownLength = chunk.endChar() - chunk.startChar();
            int prefix = chunk.length() - ownLength;
            if (prefix > 1) {
                // a table piece repeating its header rows: header + "\n" + own rows
                int headerLength = prefix - 1;
                int headerStart = text.lastIndexOf(
                        chunk.text().substring(0, chunk.text().offsetByCodePoints(0, headerLength)),
                        chunk.startChar() - headerLength);
                if (headerStart >= 0) {
                    collect(governed, headerStart, headerStart + headerLength, -headerStart, local, spanIndexes);
                }
            }
            collect(governed, chunk.startChar(), chunk.endChar(), prefix - chunk.startChar(), local, spanIndexes);
            Set<PiiType> found = EnumSet.noneOf(PiiType.class);
            local.forEach(span -> found.add(span.type()));
            Chunk result = chunk;
            PiiScanResult scan;
            PiiActionTaken action;
            if (found.isEmpty()) {
                scan = PiiScanResult.CLEAN;
                action = PiiActionTaken.NONE;
            } else if (blocked) {
                scan = PiiScanResult.BLOCKED;
                action = PiiActionTaken.BLOCKED;
            } else if (redact) {
                result = chunk.withText(
                        PiiRedactor.redact(chunk.text(), local, enabledTypes).text());
                scan = PiiScanResult.REDACTED;
                action = PiiActionTaken.REDACTED;
            } else {
                scan = PiiScanResult.PII_FOUND;
                action = PiiActionTaken.FLAGGED;
            }
            for (int index : spanIndexes) {
                chunkIdsOfSpan.get(index).add(result.chunkId());
            }
            results.add(new ChunkPii(result, scan, action, List.copyOf(found)));
        }

        List<RedactedSpan> redacted = new ArrayList<>();
        if (redact) {
            for (int i = 0; i < governed.size(); i++) {
                PiiSpan span = governed.get(i);
                redacted.add(new RedactedSpan(
                        span.type(),
                        span.start(),
                        span.end(),
                        List.copyOf(chunkIdsOfSpan.get(i)),
                        text.substring(span.start(), span.end())));
            }
        }
        PiiScanResult documentResult;
        PiiActionTaken documentAction;
        if (counts.isEmpty()) {
            documentResult = PiiScanResult.CLEAN;
            documentAction = PiiActionTaken.NONE;
        } else {
            switch (policy) {
                case REDACT -> {
                    documentResult = PiiScanResult.REDACTED;
                    documentAction = PiiActionTaken.REDACTED;
                }
                case FLAG -> {
                    documentResult = PiiScanResult.PII_FOUND;
                    documentAction = PiiActionTaken.FLAGGED;
                }
                default -> {
                    documentResult = PiiScanResult.BLOCKED;
                    documentAction = PiiActionTaken.BLOCKED;
                }
            }
        }
        return new Result(results, new TreeMap<>(counts), redacted, documentResult, documentAction);
    }

    /**
     * Adds the parts of {@code spans} inside {@code [from, to)} as spans shifted by {@code shift} (into chunk text
     * coordinates), with their indexes. Spans are sorted and disjoint, so their ends ascend: a binary search finds the
     * first one ending after {@code from}.
     */
    private static void collect(
            List<PiiSpan> spans, int from, int to, int shift, List<PiiSpan> out, List<Integer> indexes) {
        int low = 0;
        int high = spans.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (spans.get(mid).end() <= from) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        for (int i = low; i < spans.size() && spans.get(i).start() < to; i++) {
            PiiSpan span = spans.get(i);
            int start = Math.max(span.start(), from);
            int end = Math.min(span.end(), to);
            if (start < end) {
                out.add(new PiiSpan(span.type(), start + shift, end + shift));
                indexes.add(i);
            }
        }
    }

    /** Canonical text addressed by code points. */
    private static final class CodePoints {
        private final String text;
        private final int[] utf16;

        CodePoints(String text) {
            this.text = text;
            int count = text.codePointCount(0, text.length());
            if (count == text.length()) {
                utf16 = null;
            } else {
                utf16 = new int[count + 1];
                int u = 0;
                for (int c = 0; c < count; c++) {
                    utf16[c] = u;
                    u += Character.charCount(text.codePointAt(u));
                }
                utf16[count] = u;
            }
        }

        private int index(int codePoint) {
            return utf16 == null ? codePoint : utf16[codePoint];
        }

        private int codePoint(int index) {
            if (utf16 == null) {
                return index;
            }
            int found = java.util.Arrays.binarySearch(utf16, index);
            return found >= 0 ? found : -1;
        }

        String substring(int start, int end) {
            return text.substring(index(start), index(end));
        }

        /** The code-point index of the last occurrence of {@code needle} starting at or before {@code from}. */
        int lastIndexOf(String needle, int from) {
            if (from < 0) {
                return -1;
            }
            int found =
                    text.lastIndexOf(needle, index(Math.min(from, utf16 == null ? text.length() : utf16.length - 1)));
            return found < 0 ? -1 : codePoint(found);
        }
    }
}
