package io.frostbyte.embed.onnx;

/**
 * How the texts of one {@code embedDocuments} call go through the model.
 *
 * <p>The int8 MiniLM quantizes activations with one scale per tensor, so a text padded into a batch gets a slightly
 * different vector than alone (cosine ~0.994 measured on XQuAD paragraphs). {@link #PER_TEXT} keeps every vector a
 * function of its text only, which the embedding cache and {@code vector_sha256} verification rely on. Batching texts of
 * equal token length without padding does not help: the scale still spans the whole batch (cosine ~0.99, measured).
 * Per-text inference was also the cheapest in CPU time per text (padding and attention over padded positions cost
 * more than the per-call overhead saved), and it parallelizes across texts without changing a bit
 * (docs/retrieval-quality.md).
 */
public enum InferenceMode {
    /**
     * One inference per text, unpadded, texts in parallel on single-threaded runs: a vector depends on its text alone.
     * The default.
     */
    PER_TEXT,
    /** One inference over the batch padded to its longest text: vectors may depend on the batch's other texts. */
    PADDED_BATCH
}
