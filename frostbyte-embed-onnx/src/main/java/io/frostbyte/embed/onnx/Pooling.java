package io.frostbyte.embed.onnx;

/** How a model's per-token output becomes one vector. */
public enum Pooling {
    /** Mean of the token vectors under the attention mask (sentence-transformers models such as MiniLM, nomic). */
    MEAN,
    /** The first token's vector. */
    CLS
}
