package io.frostbyte.core.index;

import io.frostbyte.core.document.DocId;
import java.util.List;
import java.util.OptionalInt;

/**
 * A tenant's vector index (spec/04 §4.3): dense vectors for kNN under cosine similarity plus a BM25 keyword leg over
 * the chunk text, per {@link IndexNamespace} (one tenant, one generation).
 *
 * <p>Contract for every adapter (checked by {@code VectorIndexContract}):
 *
 * <ul>
 *   <li><b>Fixed dimension.</b> {@link #create} fixes the namespace's dimension for its life. Every written or queried
 *       vector is checked against it first ({@link io.frostbyte.core.embed.Vectors#requireUsable}); a batch with one
 *       bad vector writes nothing and throws {@code DIMENSION_MISMATCH} (04 EMB-1, EMB-3).
 *   <li><b>Tenant-scoped, fail closed.</b> Every call names its namespace and touches only it. Calls on a namespace
 *       that was not created throw {@code RESOURCE_NOT_FOUND}; only {@link #create} creates one.
 *   <li><b>Idempotent upserts.</b> Points are keyed by chunk id; writing one again replaces it, never duplicates it
 *       (EMB-6).
 *   <li><b>Read your writes.</b> Once {@link #upsert} or {@link #deleteDocument} returns, the change is durable and
 *       visible to {@link #search}, {@link #fetch} and {@link #count} on any thread.
 *   <li><b>Concurrency.</b> Implementations are thread-safe; searches run while a write is in progress and see the
 *       index before or after it.
 *   <li><b>Errors.</b> {@link io.frostbyte.core.FrostbyteException} with {@code DIMENSION_MISMATCH}, {@code
 *       RESOURCE_NOT_FOUND}, {@code INDEX_FAILED} (the backend failed or cannot be reached; retriable) or {@code
 *       VALIDATION_ERROR}.
 * </ul>
 */
public interface VectorIndex {
    /** Most points per {@link #upsert} or {@link #fetch} call. */
    int MAX_BATCH = 1024;

    /**
     * Creates the namespace with {@code dimension}. Idempotent for the same dimension.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code DIMENSION_MISMATCH} when it exists with another dimension
     */
    void create(IndexNamespace namespace, int dimension);

    /** Whether the namespace exists. */
    boolean exists(IndexNamespace namespace);

    /** The namespace's dimension, or empty when it does not exist. */
    OptionalInt dimension(IndexNamespace namespace);

    /**
     * Writes 1 to {@link #MAX_BATCH} points, replacing any with the same chunk id, and commits. All vectors are checked
     * before anything is written.
     */
    void upsert(IndexNamespace namespace, List<IndexPoint> points);

    /** Deletes every point of the document and commits. Idempotent: a document without points is success. */
    void deleteDocument(IndexNamespace namespace, DocId docId);

    /**
     * Makes {@code points} (0 to {@link #MAX_BATCH}, all of {@code docId}) the document's only points: its earlier
     * points are deleted and these written. All vectors are checked before anything changes. Adapters that can should do
     * it in one commit, so readers never see the document without points; this default deletes, then upserts.
     */
    default void replaceDocument(IndexNamespace namespace, DocId docId, List<IndexPoint> points) {
        OptionalInt dimension = dimension(namespace);
        if (dimension.isEmpty()) {
            throw new io.frostbyte.core.FrostbyteException(
                    io.frostbyte.core.ErrorCode.RESOURCE_NOT_FOUND, "no vector index " + namespace);
        }
        requireReplacement(docId, points, dimension.getAsInt());
        deleteDocument(namespace, docId);
        if (!points.isEmpty()) {
            upsert(namespace, points);
        }
    }

    /**
     * Announces that the calling thread is preparing a {@link #replaceDocument} of {@code namespace}. An adapter that
     * commits concurrent writes together may hold a commit briefly for announced writes still being prepared, so they
     * share it; it never waits for one longer than a bounded moment. Write on the thread that announced, and close the
     * announcement once the write returned or was given up. The default announces nothing.
     */
    default WriteAnnouncement announceWrite(IndexNamespace namespace) {
        return WriteAnnouncement.NONE;
    }

    /** An announced write, see {@link #announceWrite}; closing it twice is harmless. */
    interface WriteAnnouncement extends AutoCloseable {
        /** The announcement of an adapter that does not group commits. */
        WriteAnnouncement NONE = () -> {};

        @Override
        void close();
    }

    /**
     * Checks a {@link #replaceDocument} call before anything changes: at most {@link #MAX_BATCH} points, all of
     * {@code docId}, every vector usable at {@code dimension}.
     */
    static void requireReplacement(DocId docId, List<IndexPoint> points, int dimension) {
        java.util.Objects.requireNonNull(docId, "docId is null");
        java.util.Objects.requireNonNull(points, "points is null");
        if (points.size() > MAX_BATCH) {
            throw new io.frostbyte.core.FrostbyteException(
                    io.frostbyte.core.ErrorCode.VALIDATION_ERROR,
                    "replace takes 0 to " + MAX_BATCH + " points, got " + points.size());
        }
        for (IndexPoint point : points) {
            if (!point.docId().equals(docId)) {
                throw new io.frostbyte.core.FrostbyteException(
                        io.frostbyte.core.ErrorCode.VALIDATION_ERROR,
                        "a point of another document: " + point.chunkId());
            }
            io.frostbyte.core.embed.Vectors.requireUsable(point.vector(), dimension);
        }
    }

    /**
     * The stored points for up to {@link #MAX_BATCH} chunk ids, in the order asked, skipping ids that are not indexed;
     * for verification after a write.
     */
    List<StoredPoint> fetch(IndexNamespace namespace, List<String> chunkIds);

    /**
     * Runs the request's legs under its filter: each leg ranks {@link SearchRequest#candidatesPerLeg()} candidates,
     * fused by {@link ReciprocalRankFusion}; returns at most {@link SearchRequest#limit()} hits, best first.
     */
    List<SearchHit> search(IndexNamespace namespace, SearchRequest request);

    /** Points in the namespace. */
    long count(IndexNamespace namespace);

    /**
     * Bytes the namespace takes on disk (spec/09 §9.2 {@code frostbyte_storage_bytes{store="index"}}), or empty when the
     * store does not report it through its API (Qdrant's collection info has no size); 0 for a missing namespace.
     */
    default java.util.OptionalLong storageBytes(IndexNamespace namespace) {
        return java.util.OptionalLong.empty();
    }

    /**
     * Deletes the namespace with all its points and verifies it is gone. Idempotent: a missing namespace is success.
     */
    void drop(IndexNamespace namespace);
}
