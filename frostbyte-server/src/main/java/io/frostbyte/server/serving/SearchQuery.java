package io.frostbyte.server.serving;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.index.SearchFilter;
import io.frostbyte.core.index.SearchMode;

/**
 * A validated search request (spec/05 §5.1).
 *
 * @param queryText 1 to 10,000 characters, not blank, exactly as received
 */
public record SearchQuery(String queryText, int topK, SearchMode mode, SearchFilter filter, boolean includeGeneration) {
    public static final int MAX_QUERY_CHARS = 10_000;

    public SearchQuery {
        requireNonNull(queryText, "queryText is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(filter, "filter is null");
        if (queryText.isBlank() || queryText.length() > MAX_QUERY_CHARS) {
            throw new IllegalArgumentException("query_text must have 1 to 10,000 characters");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top_k must be positive");
        }
    }
}
