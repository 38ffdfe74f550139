package io.frostbyte.core.proof;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.index.ChunkFields;
import java.util.OptionalInt;

/**
 * A chunk as a search response presents it next to the proof: its id, its text and, when the response gives them, its
 * rank, page and offsets. The verifier checks each against the proof.
 *
 * @param text the chunk text exactly as returned, at most {@value #MAX_TEXT_CHARS} chars
 */
public record PresentedChunk(
        String chunkId, String text, OptionalInt rank, OptionalInt page, OptionalInt startChar, OptionalInt endChar) {
    /** Longest text accepted; chunks are far shorter (spec/03 {@code chunk_max_chars}). */
    public static final int MAX_TEXT_CHARS = 1_000_000;

    public PresentedChunk {
        ChunkFields.requireChunkId(chunkId);
        requireNonNull(text, "text is null");
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException(
                    "text of " + chunkId + " is over " + MAX_TEXT_CHARS + " chars: " + text.length());
        }
        requireNonNull(rank, "rank is null");
        requireNonNull(page, "page is null");
        requireNonNull(startChar, "startChar is null");
        requireNonNull(endChar, "endChar is null");
    }

    /** Only an id and its text, e.g. from a chunks file. */
    public static PresentedChunk of(String chunkId, String text) {
        return new PresentedChunk(
                chunkId, text, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
    }
}
