package io.frostbyte.core.index;

/** Which legs a search runs. */
public enum SearchMode {
    /** Vector kNN and BM25, fused by reciprocal rank. */
    HYBRID,
    /** Vector kNN only. */
    VECTOR,
    /** BM25 over the chunk text only. */
    KEYWORD
}
