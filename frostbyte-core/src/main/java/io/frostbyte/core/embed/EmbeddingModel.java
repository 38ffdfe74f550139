package io.frostbyte.core.embed;

import java.util.List;

/**
 * An embedding model (spec/04 §4.1): turns chunk texts and query texts into L2-normalized vectors of a fixed
 * {@link #dimension()}.
 *
 * <p>Contract for every adapter:
 *
 * <ul>
 *   <li><b>Never a made-up vector.</b> Every returned vector has exactly {@link #dimension()} finite components and
 *       unit L2 norm (within float rounding). A failed call is an exception, never a zero, padded or truncated vector
 *       (04 EMB-3).
 *   <li><b>Bounded input.</b> At most {@link #maxBatchSize()} texts per call; a text longer than the model's window is
 *       truncated to it and its {@link Embedding#truncated()} flag is set.
 *   <li><b>Prefixes.</b> The adapter adds the profile's document or query prefix itself; callers pass chunk text as
 *       stored.
 *   <li><b>Errors.</b> {@link io.frostbyte.core.FrostbyteException} with {@code VALIDATION_ERROR} (null, empty batch,
 *       batch over {@link #maxBatchSize()}), {@code EMBED_FAILED} (the model or endpoint failed; retriable on the embed
 *       schedule) or {@code DIMENSION_MISMATCH} (the model answered with another dimension than it declares; never
 *       retried).
 *   <li>Implementations are thread-safe.
 * </ul>
 */
public interface EmbeddingModel {
    /** The model's name, recorded as {@code embed_model}, e.g. {@code all-MiniLM-L6-v2}. */
    String modelId();

    /** The model's version, recorded as {@code embed_version}, e.g. {@code 1.0}. */
    String version();

    /** The length of every vector this model returns. */
    int dimension();

    /** The most texts one {@link #embedDocuments} call accepts. */
    int maxBatchSize();

    /**
     * Embeds chunk texts with the document prefix, one result per text in the same order.
     *
     * @param texts 1 to {@link #maxBatchSize()} texts, none null
     */
    List<Embedding> embedDocuments(List<String> texts);

    /** Embeds a search query with the query prefix. */
    Embedding embedQuery(String text);

    /**
     * Whether {@code a} and {@code b}, embedded as documents, are the same input to the model (the same tokens in its
     * window, both cut to it or both whole), so that their embeddings are equal bit for bit and one may stand for the
     * other. False when the adapter cannot tell, which is the default: a remote model's inputs are not known here.
     */
    default boolean sameDocumentInput(String a, String b) {
        return false;
    }
}
