package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Vectors;
import java.time.Instant;
import java.util.Arrays;

/**
 * A point read back from a vector index for verification (spec/04 §4.4 step 4): everything an {@link IndexPoint}
 * holds except its text, which the index does not store.
 */
public record StoredPoint(
        String chunkId, DocId docId, String classification, int page, Instant ingestedAt, float[] vector) {
    public StoredPoint {
        ChunkFields.requireChunkId(chunkId);
        requireNonNull(docId, "docId is null");
        ChunkFields.requireClassification(classification);
        ChunkFields.requirePage(page);
        requireNonNull(ingestedAt, "ingestedAt is null");
        vector = requireNonNull(vector, "vector is null").clone();
    }

    /** What the index holds of {@code point}. */
    public static StoredPoint of(IndexPoint point) {
        return new StoredPoint(
                point.chunkId(),
                point.docId(),
                point.classification(),
                point.page(),
                point.ingestedAt(),
                point.vector());
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }

    /** {@code vector_sha256} of the stored vector. */
    public String vectorSha256() {
        return Vectors.sha256Hex(vector);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredPoint that
                && chunkId.equals(that.chunkId)
                && docId.equals(that.docId)
                && classification.equals(that.classification)
                && page == that.page
                && ingestedAt.equals(that.ingestedAt)
                && Arrays.equals(vector, that.vector);
    }

    @Override
    public int hashCode() {
        return chunkId.hashCode();
    }

    @Override
    public String toString() {
        return "StoredPoint[" + chunkId + ", " + docId + ", dimension=" + vector.length + "]";
    }
}
