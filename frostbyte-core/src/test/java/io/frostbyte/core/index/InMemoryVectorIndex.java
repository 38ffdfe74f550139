package io.frostbyte.core.index;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written in-memory {@link VectorIndex} for tests: exact cosine scan and BM25 (k1 1.2, b 0.75) over {@link
 * KeywordTerms}, fused by {@link ReciprocalRankFusion}. Passes {@link VectorIndexContract}.
 */
public final class InMemoryVectorIndex implements VectorIndex {
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private final Map<IndexNamespace, Space> spaces = new ConcurrentHashMap<>();

    private record Entry(IndexPoint point, Map<String, Integer> termFrequencies, int length) {}

    private static final class Space {
        final int dimension;
        final TreeMap<String, Entry> entries = new TreeMap<>();

        Space(int dimension) {
            this.dimension = dimension;
        }
    }

    @Override
    public void create(IndexNamespace namespace, int dimension) {
        if (dimension < 1 || dimension > Vectors.MAX_DIMENSION) {
            throw new FrostbyteException(ErrorCode.DIMENSION_MISMATCH, "dimension out of range: " + dimension);
        }
        Space space = spaces.computeIfAbsent(namespace, n -> new Space(dimension));
        if (space.dimension != dimension) {
            throw new FrostbyteException(
                    ErrorCode.DIMENSION_MISMATCH,
                    namespace + " has dimension " + space.dimension + ", not " + dimension);
        }
    }

    @Override
    public boolean exists(IndexNamespace namespace) {
        return spaces.containsKey(namespace);
    }

    @Override
    public OptionalInt dimension(IndexNamespace namespace) {
        Space space = spaces.get(namespace);
        return space == null ? OptionalInt.empty() : OptionalInt.of(space.dimension);
    }

    @Override
    public void upsert(IndexNamespace namespace, List<IndexPoint> points) {
        Space space = space(namespace);
        if (points.isEmpty() || points.size() > MAX_BATCH) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "upsert takes 1 to " + MAX_BATCH + " points");
        }
        points.forEach(p -> Vectors.requireUsable(p.vector(), space.dimension));
        synchronized (space) {
            for (IndexPoint point : points) {
                List<String> terms = KeywordTerms.terms(point.text(), IndexPoint.MAX_TEXT_CHARS);
                Map<String, Integer> frequencies = new HashMap<>();
                terms.forEach(t -> frequencies.merge(t, 1, Integer::sum));
                space.entries.put(point.chunkId(), new Entry(point, Map.copyOf(frequencies), terms.size()));
            }
        }
    }

    @Override
    public void deleteDocument(IndexNamespace namespace, DocId docId) {
        Space space = space(namespace);
        synchronized (space) {
            space.entries.values().removeIf(e -> e.point().docId().equals(docId));
        }
    }

    @Override
    public List<StoredPoint> fetch(IndexNamespace namespace, List<String> chunkIds) {
        Space space = space(namespace);
        if (chunkIds.size() > MAX_BATCH) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "fetch takes at most " + MAX_BATCH + " ids");
        }
        synchronized (space) {
            List<StoredPoint> out = new ArrayList<>();
            for (String id : chunkIds) {
                Entry entry = space.entries.get(id);
                if (entry != null) {
                    out.add(StoredPoint.of(entry.point()));
                }
            }
            return List.copyOf(out);
        }
    }

    @Override
    public List<SearchHit> search(IndexNamespace namespace, SearchRequest request) {
        Space space = space(namespace);
        float[] query = request.queryVector();
        Vectors.requireUsable(query, space.dimension);
        List<Entry> candidates;
        synchronized (space) {
            candidates = space.entries.values().stream()
                    .filter(e -> request.filter()
                            .matches(
                                    e.point().classification(),
                                    e.point().ingestedDay(),
                                    e.point().docId()))
                    .toList();
        }
        int perLeg = request.candidatesPerLeg();
        List<ReciprocalRankFusion.Candidate> vectorLeg = List.of();
        List<ReciprocalRankFusion.Candidate> keywordLeg = List.of();
        if (request.mode() != SearchMode.KEYWORD) {
            vectorLeg = candidates.stream()
                    .sorted(Comparator.comparingDouble((Entry e) ->
                                    -Vectors.cosine(query, e.point().vector()))
                            .thenComparing(e -> e.point().chunkId()))
                    .limit(perLeg)
                    .map(InMemoryVectorIndex::candidate)
                    .toList();
        }
        if (request.mode() != SearchMode.VECTOR) {
            keywordLeg = bm25(candidates, space, request.queryText(), perLeg);
        }
        return ReciprocalRankFusion.fuse(vectorLeg, keywordLeg, request.limit());
    }

    private static List<ReciprocalRankFusion.Candidate> bm25(
            List<Entry> candidates, Space space, String queryText, int perLeg) {
        List<String> queryTerms =
                KeywordTerms.terms(queryText, 64).stream().distinct().toList();
        List<Entry> all;
        synchronized (space) {
            all = List.copyOf(space.entries.values());
        }
        double averageLength = all.stream().mapToInt(Entry::length).average().orElse(1);
        Map<String, Double> idf = new HashMap<>();
        for (String term : queryTerms) {
            long df = all.stream()
                    .filter(e -> e.termFrequencies().containsKey(term))
                    .count();
            idf.put(term, Math.log(1 + (all.size() - df + 0.5) / (df + 0.5)));
        }
        record Scored(Entry entry, double score) {}
        List<Scored> scored = new ArrayList<>();
        for (Entry e : candidates) {
            double score = 0;
            for (String term : queryTerms) {
                int tf = e.termFrequencies().getOrDefault(term, 0);
                if (tf > 0) {
                    score += idf.get(term) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * e.length() / averageLength));
                }
            }
            if (score > 0) {
                scored.add(new Scored(e, score));
            }
        }
        return scored.stream()
                .sorted(Comparator.comparingDouble((Scored s) -> -s.score())
                        .thenComparing(s -> s.entry().point().chunkId()))
                .limit(perLeg)
                .map(s -> candidate(s.entry()))
                .toList();
    }

    private static ReciprocalRankFusion.Candidate candidate(Entry e) {
        IndexPoint p = e.point();
        return new ReciprocalRankFusion.Candidate(p.chunkId(), p.docId(), p.classification(), p.page());
    }

    @Override
    public long count(IndexNamespace namespace) {
        Space space = space(namespace);
        synchronized (space) {
            return space.entries.size();
        }
    }

    @Override
    public void drop(IndexNamespace namespace) {
        spaces.remove(namespace);
    }

    private Space space(IndexNamespace namespace) {
        Space space = spaces.get(namespace);
        if (space == null) {
            throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "no vector index " + namespace);
        }
        return space;
    }
}
