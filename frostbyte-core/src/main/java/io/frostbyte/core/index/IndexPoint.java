package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.document.DocId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * One chunk as written to a vector index: its id, its filter fields, its vector and the text the keyword leg indexes.
 * The text is indexed, never stored (spec/04 §4.3: chunk text lives in the tenant database only).
 *
 * @param chunkId {@code ^chk_[0-9a-f]{24}$}; the upsert key
 * @param docId the document the chunk belongs to; {@link VectorIndex#deleteDocument} removes by it
 * @param classification the chunk's label, {@code ^[a-z][a-z0-9_]{0,63}$}
 * @param page 1-based page of the chunk's start
 * @param ingestedAt the receipt commit time, truncated to milliseconds; the date filter uses its UTC day
 * @param vector copied in and out; checked against the index's dimension on write
 * @param text at most {@link #MAX_TEXT_CHARS} characters
 */
public record IndexPoint(
        String chunkId, DocId docId, String classification, int page, Instant ingestedAt, float[] vector, String text) {
    /** Longest text accepted for the keyword leg; chunks are far shorter. */
    public static final int MAX_TEXT_CHARS = 100_000;

    public IndexPoint {
        ChunkFields.requireChunkId(chunkId);
        requireNonNull(docId, "docId is null");
        ChunkFields.requireClassification(classification);
        ChunkFields.requirePage(page);
        ingestedAt = requireNonNull(ingestedAt, "ingestedAt is null").truncatedTo(ChronoUnit.MILLIS);
        vector = requireNonNull(vector, "vector is null").clone();
        requireNonNull(text, "text is null");
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("text has " + text.length() + " characters, max " + MAX_TEXT_CHARS);
        }
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }

    /** Days since 1970-01-01 UTC of {@link #ingestedAt()}: the {@code ingested_day} payload field. */
    public int ingestedDay() {
        return ChunkFields.epochDay(ingestedAt);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IndexPoint that
                && chunkId.equals(that.chunkId)
                && docId.equals(that.docId)
                && classification.equals(that.classification)
                && page == that.page
                && ingestedAt.equals(that.ingestedAt)
                && Arrays.equals(vector, that.vector)
                && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return chunkId.hashCode();
    }

    @Override
    public String toString() {
        return "IndexPoint[" + chunkId + ", " + docId + ", dimension=" + vector.length + "]";
    }
}
