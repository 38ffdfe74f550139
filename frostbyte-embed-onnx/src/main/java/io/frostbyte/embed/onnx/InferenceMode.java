package io.frostbyte.embed.onnx;

/**
 * How the texts of one {@code embedDocuments} call go through the model.
 *
 * <p>The int8 MiniLM quantizes activations with one scale per tensor, so a text padded into a batch gets a slightly
 * different vector than alone (cosine ~0.994 measured on XQuAD paragraphs). {@link #PER_TEXT} keeps every vector a
 * function of its text only, which the embedding cache and {@code vector_sha256} verification rely on; on 2 CPU cores
 * it was also faster than padded batches of mixed-length chunks.
 */
public enum InferenceMode {
    /** One inference per text, unpadded: a vector depends on its text alone. The default. */
    PER_TEXT,
    /** One inference over the batch padded to its longest text: vectors may depend on the batch's other texts. */
    PADDED_BATCH
}
