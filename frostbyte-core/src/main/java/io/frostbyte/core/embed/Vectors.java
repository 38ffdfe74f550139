package io.frostbyte.core.embed;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The dimension assertion (spec/04 EMB-1) and the vector arithmetic every adapter shares. Nothing here ever pads,
 * truncates or zero-fills a vector (EMB-3).
 */
public final class Vectors {
    /** The largest dimension any adapter accepts; bounds memory per vector. */
    public static final int MAX_DIMENSION = 8192;

    private Vectors() {}

    /**
     * Checks a vector before any write or search: exactly {@code dimension} components, all finite, non-zero norm.
     *
     * @throws FrostbyteException {@code DIMENSION_MISMATCH} otherwise
     */
    public static void requireUsable(float[] vector, int dimension) {
        requireNonNull(vector, "vector is null");
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new FrostbyteException(
                    ErrorCode.DIMENSION_MISMATCH, "dimension must be in [1, " + MAX_DIMENSION + "]: " + dimension);
        }
        if (vector.length != dimension) {
            throw new FrostbyteException(
                    ErrorCode.DIMENSION_MISMATCH,
                    "vector has dimension " + vector.length + ", expected " + dimension,
                    List.of(new FrostbyteException.ErrorDetail("vector", vector.length, "dimension == " + dimension)));
        }
        double squares = 0;
        for (float component : vector) {
            if (!Float.isFinite(component)) {
                throw new FrostbyteException(ErrorCode.DIMENSION_MISMATCH, "vector has a non-finite component");
            }
            squares += (double) component * component;
        }
        if (squares == 0) {
            throw new FrostbyteException(ErrorCode.DIMENSION_MISMATCH, "vector has zero norm");
        }
    }

    /** A unit-length copy of {@code vector}, which must be usable ({@link #requireUsable}). */
    public static float[] l2Normalized(float[] vector) {
        requireUsable(vector, vector.length);
        double norm = Math.sqrt(dot(vector, vector));
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] / norm);
        }
        return out;
    }

    /** The dot product, accumulated in double. */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("dimensions differ: " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** Cosine similarity of two usable vectors. */
    public static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    /** {@code vector_sha256}: SHA-256 of the vector as little-endian float32 bytes, lower-case hex (04 §4.2). */
    public static String sha256Hex(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float component : vector) {
            bytes.putFloat(component);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
