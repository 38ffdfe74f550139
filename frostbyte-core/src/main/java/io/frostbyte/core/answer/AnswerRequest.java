package io.frostbyte.core.answer;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an answerer gets: the query and the chunks the search returned, in rank order.
 *
 * @param query the query text, 1 to {@value #MAX_QUERY_CHARS} chars, not blank (spec/05 §5.1)
 * @param chunks the retrieved chunks in rank order, distinct ids, at most {@value #MAX_CHUNKS}
 */
public record AnswerRequest(String query, List<RetrievedChunk> chunks, AnswerSettings settings) {
    public static final int MAX_QUERY_CHARS = 10_000;
    public static final int MAX_CHUNKS = 1000;

    public AnswerRequest {
        requireNonNull(query, "query is null");
        if (query.isBlank() || query.length() > MAX_QUERY_CHARS) {
            throw new IllegalArgumentException(
                    "query must have 1 to " + MAX_QUERY_CHARS + " chars and not be blank, has " + query.length());
        }
        chunks = List.copyOf(requireNonNull(chunks, "chunks is null"));
        if (chunks.size() > MAX_CHUNKS) {
            throw new IllegalArgumentException("at most " + MAX_CHUNKS + " chunks, got " + chunks.size());
        }
        Set<String> ids = new HashSet<>();
        for (RetrievedChunk chunk : chunks) {
            if (!ids.add(chunk.chunkId())) {
                throw new IllegalArgumentException("chunk " + chunk.chunkId() + " is retrieved twice");
            }
        }
        requireNonNull(settings, "settings is null");
    }
}
