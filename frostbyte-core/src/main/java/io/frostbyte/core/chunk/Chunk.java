package io.frostbyte.core.chunk;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.DocId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One chunk's text and structure fields (spec/03 §3.2, §3.6). Offsets are code points of the canonical text before
 * redaction; {@code chunkId} and {@code textSha256} always derive from {@code text} (ARCHITECTURE.md §4), so a chunk
 * whose text is redacted gets a new id through {@link #withText}.
 *
 * @param page 1-based page where the chunk starts
 * @param elementType {@code table}, {@code list_item}, or the first non-heading block's type ({@code heading} for a
 *     chunk of headings only)
 * @param sectionTitle the innermost heading the chunk belongs to, null before the first heading
 * @param sectionPath heading titles from the outermost to the innermost
 * @param headingLevel level of the innermost heading, 0 when there is none
 * @param headerRepeated a table piece that repeats its table's header rows
 * @param oversize a single table row longer than the maximum
 */
public record Chunk(
        String chunkId,
        DocId docId,
        TenantId tenantId,
        String text,
        String textSha256,
        int page,
        int pageEnd,
        int startChar,
        int endChar,
        String elementType,
        String sectionTitle,
        List<String> sectionPath,
        int headingLevel,
        boolean headerRepeated,
        boolean oversize) {
    private static final Pattern CHUNK_ID = Pattern.compile("^chk_[0-9a-f]{24}$");

    public Chunk {
        requireNonNull(chunkId, "chunk id is null");
        requireNonNull(docId, "doc id is null");
        requireNonNull(tenantId, "tenant id is null");
        requireNonNull(text, "text is null");
        requireNonNull(elementType, "element type is null");
        sectionPath = List.copyOf(requireNonNull(sectionPath, "section path is null"));
        if (!CHUNK_ID.matcher(chunkId).matches()) {
            throw new IllegalArgumentException("chunk id must match ^chk_[0-9a-f]{24}$: " + chunkId);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("chunk " + chunkId + " has no text");
        }
        if (page < 1 || pageEnd < page) {
            throw new IllegalArgumentException("chunk " + chunkId + " has pages " + page + "-" + pageEnd);
        }
        if (startChar < 0 || endChar <= startChar) {
            throw new IllegalArgumentException("chunk " + chunkId + " has offsets " + startChar + "-" + endChar);
        }
        if (headingLevel < 0 || headingLevel > 6) {
            throw new IllegalArgumentException("heading level must be 0-6: " + headingLevel);
        }
        if (!textSha256.equals(sha256Hex(text))) {
            throw new IllegalArgumentException("text_sha256 of chunk " + chunkId + " differs from its text");
        }
        if (!chunkId.equals(chunkId(docId, page, startChar, endChar, text))) {
            throw new IllegalArgumentException("chunk id " + chunkId + " does not derive from its text and offsets");
        }
    }

    /** A chunk whose id and hash are computed from its fields. */
    public static Chunk of(
            DocId docId,
            TenantId tenantId,
            String text,
            int page,
            int pageEnd,
            int startChar,
            int endChar,
            String elementType,
            String sectionTitle,
            List<String> sectionPath,
            int headingLevel,
            boolean headerRepeated,
            boolean oversize) {
        requireNonNull(docId, "doc id is null");
        requireNonNull(text, "text is null");
        return new Chunk(
                chunkId(docId, page, startChar, endChar, text),
                docId,
                tenantId,
                text,
                sha256Hex(text),
                page,
                pageEnd,
                startChar,
                endChar,
                elementType,
                sectionTitle,
                sectionPath,
                headingLevel,
                headerRepeated,
                oversize);
    }

    /**
     * {@code "chk_" + hex(sha256(doc_id + "|" + page + "|" + start_char + "|" + end_char + "|" + hex(sha256(text))))[0:24]}.
     */
    public static String chunkId(DocId docId, int page, int startChar, int endChar, String text) {
        String key = docId.value() + "|" + page + "|" + startChar + "|" + endChar + "|" + sha256Hex(text);
        return "chk_" + sha256Hex(key).substring(0, 24);
    }

    /** The same chunk with its final (for example redacted) text; offsets stay those of the canonical text. */
    public Chunk withText(String finalText) {
        return of(
                docId,
                tenantId,
                finalText,
                page,
                pageEnd,
                startChar,
                endChar,
                elementType,
                sectionTitle,
                sectionPath,
                headingLevel,
                headerRepeated,
                oversize);
    }

    /** Code points in {@link #text()}. */
    public int length() {
        return text.codePointCount(0, text.length());
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
