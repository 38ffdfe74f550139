package io.frostbyte.core.answer;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.index.ChunkFields;

/**
 * A retrieved chunk an answerer may use and cite.
 *
 * @param chunkId the id it is cited by, {@code [chk_…]}
 * @param text the chunk text as served, 1 to {@value #MAX_TEXT_CHARS} chars
 */
public record RetrievedChunk(String chunkId, String text) {
    /** Longest chunk text accepted; chunks are far shorter (spec/03 {@code chunk_max_chars}). */
    public static final int MAX_TEXT_CHARS = 100_000;

    public RetrievedChunk {
        ChunkFields.requireChunkId(chunkId);
        requireNonNull(text, "text is null");
        if (text.isEmpty() || text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException(
                    "text of " + chunkId + " must have 1 to " + MAX_TEXT_CHARS + " chars, has " + text.length());
        }
    }

    /** The citation of this chunk as it appears in an answer. */
    public String citation() {
        return "[" + chunkId + "]";
    }
}
