package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

/**
 * A search in one index namespace.
 *
 * @param queryVector the embedded query; checked against the index's dimension (unused by {@link SearchMode#KEYWORD}
 *     but still required, so a request is always complete)
 * @param queryText the query text for the BM25 leg, at most {@link #MAX_QUERY_CHARS} characters
 * @param limit hits to return, 1 to {@link #MAX_LIMIT}
 * @param mode which legs run
 * @param filter applied to every leg before ranking
 */
public record SearchRequest(float[] queryVector, String queryText, int limit, SearchMode mode, SearchFilter filter) {
    public static final int MAX_LIMIT = 100;
    public static final int MAX_QUERY_CHARS = 4096;

    public SearchRequest {
        queryVector = requireNonNull(queryVector, "queryVector is null").clone();
        requireNonNull(queryText, "queryText is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(filter, "filter is null");
        if (queryText.length() > MAX_QUERY_CHARS) {
            throw new IllegalArgumentException(
                    "query text has " + queryText.length() + " characters, max " + MAX_QUERY_CHARS);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in [1, " + MAX_LIMIT + "]: " + limit);
        }
    }

    public static SearchRequest hybrid(float[] queryVector, String queryText, int limit) {
        return new SearchRequest(queryVector, queryText, limit, SearchMode.HYBRID, SearchFilter.NONE);
    }

    public SearchRequest withMode(SearchMode newMode) {
        return new SearchRequest(queryVector, queryText, limit, newMode, filter);
    }

    public SearchRequest withFilter(SearchFilter newFilter) {
        return new SearchRequest(queryVector, queryText, limit, mode, newFilter);
    }

    @Override
    public float[] queryVector() {
        return queryVector.clone();
    }

    /**
     * How many candidates each leg ranks before fusion: enough that a chunk ranked well by one leg only still reaches
     * the fused top {@link #limit()}.
     */
    public int candidatesPerLeg() {
        return Math.max(50, 4 * limit);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SearchRequest that
                && java.util.Arrays.equals(queryVector, that.queryVector)
                && queryText.equals(that.queryText)
                && limit == that.limit
                && mode == that.mode
                && filter.equals(that.filter);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(queryVector), queryText, limit, mode, filter);
    }

    @Override
    public String toString() {
        return "SearchRequest[dimension=" + queryVector.length + ", limit=" + limit + ", mode=" + mode + "]";
    }
}
