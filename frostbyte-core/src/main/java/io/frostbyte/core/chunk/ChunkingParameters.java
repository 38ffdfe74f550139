package io.frostbyte.core.chunk;

/**
 * The chunker's tenant parameters (spec/03 §3.2), lengths in code points of canonical text before redaction.
 *
 * @param maxChars {@code chunk_max_chars}, 200–8000
 * @param newAfterChars {@code chunk_new_after_chars}, 100–max: once a chunk reaches it, the next block starts a new one
 * @param combineUnderChars {@code chunk_combine_under_chars}, 0–new_after: smaller chunks merge with a neighbour
 * @param overlapChars {@code chunk_overlap_chars}, 0–max/4
 */
public record ChunkingParameters(int maxChars, int newAfterChars, int combineUnderChars, int overlapChars) {
    /** The defaults of spec/03: 1500, 1200, 400, 0. */
    public static final ChunkingParameters DEFAULTS = new ChunkingParameters(1500, 1200, 400, 0);

    public ChunkingParameters {
        if (maxChars < 200 || maxChars > 8000) {
            throw new IllegalArgumentException("chunk_max_chars must be in [200, 8000]: " + maxChars);
        }
        if (newAfterChars < 100 || newAfterChars > maxChars) {
            throw new IllegalArgumentException(
                    "chunk_new_after_chars must be in [100, " + maxChars + "]: " + newAfterChars);
        }
        if (combineUnderChars < 0 || combineUnderChars > newAfterChars) {
            throw new IllegalArgumentException(
                    "chunk_combine_under_chars must be in [0, " + newAfterChars + "]: " + combineUnderChars);
        }
        if (overlapChars < 0 || overlapChars > maxChars / 4) {
            throw new IllegalArgumentException(
                    "chunk_overlap_chars must be in [0, " + maxChars / 4 + "]: " + overlapChars);
        }
    }
}
