package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/** Validation of the fields a vector index stores per chunk, shared by the index values. */
public final class ChunkFields {
    private static final Pattern CHUNK_ID = Pattern.compile("^chk_[0-9a-f]{24}$");
    private static final Pattern CLASSIFICATION = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,63}$");

    /** The highest page number accepted; matches {@code parse.max_pages} headroom. */
    public static final int MAX_PAGE = 1_000_000;

    private ChunkFields() {}

    public static String requireChunkId(String chunkId) {
        requireNonNull(chunkId, "chunkId is null");
        if (!CHUNK_ID.matcher(chunkId).matches()) {
            throw new IllegalArgumentException("chunk id must match ^chk_[0-9a-f]{24}$: " + abbreviate(chunkId));
        }
        return chunkId;
    }

    public static String requireClassification(String classification) {
        requireNonNull(classification, "classification is null");
        if (!CLASSIFICATION.matcher(classification).matches()) {
            throw new IllegalArgumentException(
                    "classification must match ^[A-Za-z][A-Za-z0-9_]{0,63}$: " + abbreviate(classification));
        }
        return classification;
    }

    static void requirePage(int page) {
        if (page < 1 || page > MAX_PAGE) {
            throw new IllegalArgumentException("page must be in [1, " + MAX_PAGE + "]: " + page);
        }
    }

    /** Days since 1970-01-01 in UTC. */
    public static int epochDay(Instant instant) {
        return Math.toIntExact(instant.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay());
    }

    private static String abbreviate(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
