package io.frostbyte.core.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reciprocal-rank fusion (Cormack et al. 2009): {@code score = sum over legs of 1 / (K + rank)} with {@code K = 60}.
 * Shared by every adapter so the same ranked legs fuse to the same order everywhere; ties break on chunk id.
 */
public final class ReciprocalRankFusion {
    /** The RRF constant. */
    public static final int K = 60;

    private ReciprocalRankFusion() {}

    /** A leg's ranked candidate: chunk id plus what a hit reports of it. */
    public record Candidate(String chunkId, io.frostbyte.core.document.DocId docId, String classification, int page) {}

    /**
     * Fuses the legs (each best first, without duplicates) and returns the top {@code limit}.
     *
     * @param vectorLeg candidates of the vector leg, or an empty list when it did not run
     * @param keywordLeg candidates of the BM25 leg, or an empty list when it did not run
     */
    public static List<SearchHit> fuse(List<Candidate> vectorLeg, List<Candidate> keywordLeg, int limit) {
        Map<String, Candidate> byId = new LinkedHashMap<>();
        Map<String, Integer> vectorRanks = ranks(vectorLeg, byId);
        Map<String, Integer> keywordRanks = ranks(keywordLeg, byId);
        List<SearchHit> hits = new ArrayList<>(byId.size());
        for (Candidate c : byId.values()) {
            Integer v = vectorRanks.get(c.chunkId());
            Integer k = keywordRanks.get(c.chunkId());
            double score = (v == null ? 0 : 1.0 / (K + v)) + (k == null ? 0 : 1.0 / (K + k));
            hits.add(new SearchHit(
                    c.chunkId(),
                    c.docId(),
                    c.classification(),
                    c.page(),
                    score,
                    v == null ? OptionalInt.empty() : OptionalInt.of(v),
                    k == null ? OptionalInt.empty() : OptionalInt.of(k)));
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId));
        return List.copyOf(hits.subList(0, Math.min(limit, hits.size())));
    }

    private static Map<String, Integer> ranks(List<Candidate> leg, Map<String, Candidate> byId) {
        Map<String, Integer> ranks = new HashMap<>();
        int rank = 0;
        for (Candidate c : leg) {
            if (ranks.putIfAbsent(c.chunkId(), ++rank) == null) {
                byId.putIfAbsent(c.chunkId(), c);
            } else {
                rank--;
            }
        }
        return ranks;
    }
}
