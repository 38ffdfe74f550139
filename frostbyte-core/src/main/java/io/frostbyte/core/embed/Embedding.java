package io.frostbyte.core.embed;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * One text's embedding.
 *
 * @param vector the L2-normalized vector; copied in and out, never shared
 * @param truncated whether the text was longer than the model's window and only its start was embedded (recorded as
 *     {@code embed_truncated})
 */
public record Embedding(float[] vector, boolean truncated) {
    public Embedding {
        requireNonNull(vector, "vector is null");
        Vectors.requireUsable(vector, vector.length);
        vector = vector.clone();
    }

    @Override
    public float[] vector() {
        return vector.clone();
    }

    public int dimension() {
        return vector.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Embedding that && truncated == that.truncated && Arrays.equals(vector, that.vector);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(vector) + Boolean.hashCode(truncated);
    }

    @Override
    public String toString() {
        return "Embedding[dimension=" + vector.length + ", truncated=" + truncated + "]";
    }
}
