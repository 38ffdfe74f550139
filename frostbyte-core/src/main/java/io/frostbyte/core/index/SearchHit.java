package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.document.DocId;
import java.util.OptionalInt;

/**
 * One search result.
 *
 * @param score the reciprocal-rank-fusion score (for a single-leg search, the same formula over that leg alone), so
 *     scores are comparable across adapters
 * @param vectorRank 1-based rank in the vector leg, empty when that leg did not return the chunk
 * @param keywordRank 1-based rank in the BM25 leg, empty when that leg did not return the chunk
 */
public record SearchHit(
        String chunkId,
        DocId docId,
        String classification,
        int page,
        double score,
        OptionalInt vectorRank,
        OptionalInt keywordRank) {
    public SearchHit {
        ChunkFields.requireChunkId(chunkId);
        requireNonNull(docId, "docId is null");
        ChunkFields.requireClassification(classification);
        requireNonNull(vectorRank, "vectorRank is null");
        requireNonNull(keywordRank, "keywordRank is null");
        if (vectorRank.isEmpty() && keywordRank.isEmpty()) {
            throw new IllegalArgumentException("a hit comes from at least one leg");
        }
    }
}
