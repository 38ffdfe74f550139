package io.frostbyte.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.SearchHit;
import io.frostbyte.core.index.SearchMode;
import io.frostbyte.core.index.SearchRequest;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.embed.onnx.OnnxEmbeddingModel;
import io.frostbyte.index.lucene.LuceneVectorIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Retrieval quality and query latency on XQuAD ({@code shared/corpus/retrieval-xquad-en/beir-format}: 240 English
 * Wikipedia paragraphs, 1,190 questions, one gold paragraph each).
 *
 * <p>Each paragraph is one chunk (they are 36 to 256 MiniLM tokens, chunk-sized), embedded by the real MiniLM model
 * and written to a real {@link LuceneVectorIndex} in the suite's work directory. Every question runs in {@link
 * SearchMode#VECTOR}, {@link SearchMode#KEYWORD} and {@link SearchMode#HYBRID}; recall@1/5/10, MRR@10 and nDCG@10 (in
 * percent) are reported for vector and hybrid against BM25-only, and for BM25 against an exact cosine scan of the same
 * vectors. Query latency p50/p99 of each mode is reported against that exact scan, at 240 chunks and at 10,000 and
 * 100,000 synthetic chunks (the real vectors with Gaussian noise, sigma 0.02 per component, renormalized, as {@link
 * EmbedSuite} does), where the HNSW leg's recall@10 of the exact top 10 is reported too.
 */
final class RetrievalSuite implements BenchSuite {
    private static final int K = 10;
    static final double NOISE_SIGMA = 0.02;
    private static final int WRITE_BATCH = VectorIndex.MAX_BATCH;
    private static final Instant INGESTED = Instant.parse("2026-03-02T10:00:00Z");
    private static final List<SearchMode> MODES = List.of(SearchMode.VECTOR, SearchMode.KEYWORD, SearchMode.HYBRID);

    @Override
    public String name() {
        return "retrieval";
    }

    @Override
    public String description() {
        return "XQuAD recall@1/5/10, MRR@10, nDCG@10 for vector, BM25 and hybrid (vs BM25 / exact cosine); query"
                + " p50/p99 per mode at 240, 10k and 100k chunks vs brute-force cosine";
    }

    /** A question with its embedded vector and the ids of its relevant paragraphs. */
    private record Question(String text, float[] vector, Set<String> relevant) {}

    /** Sums of per-question scores; divided by the question count when reported. */
    static final class Quality {
        double recall1;
        double recall5;
        double recall10;
        double mrr10;
        double ndcg10;
        int questions;

        void add(List<String> ranked, Set<String> relevant) {
            questions++;
            int firstHit = -1;
            double dcg = 0;
            int found1 = 0;
            int found5 = 0;
            int found10 = 0;
            for (int i = 0; i < Math.min(K, ranked.size()); i++) {
                if (!relevant.contains(ranked.get(i))) {
                    continue;
                }
                if (firstHit < 0) {
                    firstHit = i;
                }
                dcg += 1.0 / log2(i + 2);
                found1 += i < 1 ? 1 : 0;
                found5 += i < 5 ? 1 : 0;
                found10++;
            }
            double ideal = 0;
            for (int i = 0; i < Math.min(K, relevant.size()); i++) {
                ideal += 1.0 / log2(i + 2);
            }
            recall1 += (double) found1 / Math.min(1, relevant.size());
            recall5 += (double) found5 / Math.min(5, relevant.size());
            recall10 += (double) found10 / Math.min(K, relevant.size());
            mrr10 += firstHit < 0 ? 0 : 1.0 / (firstHit + 1);
            ndcg10 += dcg / ideal;
        }

        /** The five metrics in percent, in the order of {@link #METRICS}. */
        double[] percent() {
            double[] sums = {recall1, recall5, recall10, mrr10, ndcg10};
            return Arrays.stream(sums).map(s -> 100.0 * s / questions).toArray();
        }
    }

    static final String[] METRICS = {"recall@1", "recall@5", "recall@10", "MRR@10", "nDCG@10"};

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        Path corpus = corpus();
        Map<String, String> paragraphs = readTexts(corpus.resolve("corpus.jsonl"));
        Map<String, String> questionTexts = readTexts(corpus.resolve("queries.jsonl"));
        Map<String, Set<String>> qrels = readQrels(corpus.resolve("qrels/test.tsv"));
        List<String> paragraphIds = List.copyOf(paragraphs.keySet());
        List<String> questionIds = questionTexts.keySet().stream()
                .filter(qrels::containsKey)
                .limit(options.scaled(questionTexts.size()))
                .toList();

        List<float[]> paragraphVectors = new ArrayList<>();
        List<Question> questions = new ArrayList<>();
        try (OnnxEmbeddingModel model =
                OnnxEmbeddingModel.miniLmL6V2Quantized(Runtime.getRuntime().availableProcessors())) {
            List<String> texts = paragraphIds.stream().map(paragraphs::get).toList();
            for (int i = 0; i < texts.size(); i += 32) {
                for (Embedding e : model.embedDocuments(texts.subList(i, Math.min(texts.size(), i + 32)))) {
                    paragraphVectors.add(e.vector());
                }
            }
            for (String id : questionIds) {
                String text = questionTexts.get(id);
                questions.add(new Question(text, model.embedQuery(text).vector(), qrels.get(id)));
            }
        }

        List<Figure> figures = new ArrayList<>();
        List<IndexPoint> points = new ArrayList<>(paragraphIds.size());
        for (int i = 0; i < paragraphIds.size(); i++) {
            points.add(point(i, paragraphVectors.get(i), paragraphs.get(paragraphIds.get(i))));
        }
        figures.addAll(measure(options.workDir().resolve("xquad"), points, paragraphIds, questions, true));

        for (int size : new int[] {10_000, 100_000}) {
            int synthetic = options.scaled(size);
            Random random = new Random(42);
            List<IndexPoint> noisy = new ArrayList<>(synthetic);
            List<String> noisyIds = new ArrayList<>(synthetic);
            for (int i = 0; i < synthetic; i++) {
                int p = i % paragraphIds.size();
                noisy.add(point(i, noisyCopy(paragraphVectors.get(p), random), paragraphs.get(paragraphIds.get(p))));
                noisyIds.add(paragraphIds.get(p));
            }
            figures.addAll(measure(options.workDir().resolve("synthetic-" + size), noisy, noisyIds, questions, false));
        }
        return figures;
    }

    /** {@code vector} plus Gaussian noise (sigma {@value #NOISE_SIGMA} per component), renormalized. */
    static float[] noisyCopy(float[] vector, Random random) {
        float[] v = vector.clone();
        for (int d = 0; d < v.length; d++) {
            v[d] += (float) (random.nextGaussian() * NOISE_SIGMA);
        }
        return Vectors.l2Normalized(v);
    }

    private static IndexPoint point(int i, float[] vector, String text) {
        String hex = HexFormat.of().toHexDigits((long) i) + "00000000";
        return new IndexPoint(
                "chk_" + hex, new DocId("doc_" + hex), "other", 1, INGESTED.plusSeconds(i % 86_400), vector, text);
    }

    /**
     * Indexes {@code points}, runs every question in every mode plus the exact scan, and returns latency figures and,
     * when {@code quality}, the quality figures ({@code sourceIds.get(i)} is the paragraph id of point {@code i}).
     */
    private List<Figure> measure(
            Path dir, List<IndexPoint> points, List<String> sourceIds, List<Question> questions, boolean quality)
            throws Exception {
        String label = points.size() >= 1000 ? (points.size() / 1000) + "k" : Integer.toString(points.size());
        float[][] vectors = points.stream().map(IndexPoint::vector).toArray(float[][]::new);
        Map<String, Integer> pointIndex = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            pointIndex.put(points.get(i).chunkId(), i);
        }
        IndexNamespace namespace = IndexNamespace.first(TenantId.of("bench-tenant"));
        List<Figure> figures = new ArrayList<>();
        try (LuceneVectorIndex index = new LuceneVectorIndex(dir)) {
            index.create(namespace, vectors[0].length);
            long writeStarted = System.nanoTime();
            for (int i = 0; i < points.size(); i += WRITE_BATCH) {
                index.upsert(namespace, points.subList(i, Math.min(points.size(), i + WRITE_BATCH)));
            }
            double writeSeconds = (System.nanoTime() - writeStarted) / 1e9;
            System.err.printf(
                    "retrieval: %d chunks upserted in batches of %d in %.1f s (%.0f chunks/s)%n",
                    points.size(), WRITE_BATCH, writeSeconds, points.size() / writeSeconds);

            for (int i = 0; i < Math.min(100, questions.size()); i++) {
                for (SearchMode mode : MODES) {
                    index.search(namespace, request(questions.get(i), mode));
                }
                exactTop(vectors, questions.get(i).vector());
            }

            Map<SearchMode, Quality> byMode = new EnumMap<>(SearchMode.class);
            Map<SearchMode, double[]> latency = new EnumMap<>(SearchMode.class);
            for (SearchMode mode : MODES) {
                byMode.put(mode, new Quality());
                latency.put(mode, new double[questions.size()]);
            }
            Quality exact = new Quality();
            double[] scan = new double[questions.size()];
            double annRecall = 0;
            for (int q = 0; q < questions.size(); q++) {
                Question question = questions.get(q);
                Map<SearchMode, List<SearchHit>> hits = new EnumMap<>(SearchMode.class);
                for (SearchMode mode : MODES) {
                    long started = System.nanoTime();
                    hits.put(mode, index.search(namespace, request(question, mode)));
                    latency.get(mode)[q] = (System.nanoTime() - started) / 1e6;
                }
                long started = System.nanoTime();
                int[] top = exactTop(vectors, question.vector());
                scan[q] = (System.nanoTime() - started) / 1e6;

                for (SearchMode mode : MODES) {
                    List<String> ranked = hits.get(mode).stream()
                            .map(h -> sourceIds.get(pointIndex.get(h.chunkId())))
                            .toList();
                    byMode.get(mode).add(ranked, question.relevant());
                }
                exact.add(Arrays.stream(top).mapToObj(sourceIds::get).toList(), question.relevant());
                Set<Integer> exactSet = new LinkedHashSet<>();
                Arrays.stream(top).forEach(exactSet::add);
                long agreed = hits.get(SearchMode.VECTOR).stream()
                        .filter(h -> exactSet.contains(pointIndex.get(h.chunkId())))
                        .count();
                annRecall += (double) agreed / top.length;
            }

            if (quality) {
                double[] bm25 = byMode.get(SearchMode.KEYWORD).percent();
                double[] exactPercent = exact.percent();
                for (SearchMode mode : List.of(SearchMode.VECTOR, SearchMode.HYBRID)) {
                    double[] values = byMode.get(mode).percent();
                    for (int m = 0; m < METRICS.length; m++) {
                        figures.add(new Figure(
                                name(),
                                modeName(mode) + " " + METRICS[m],
                                "%",
                                values[m],
                                "BM25 only " + METRICS[m],
                                bm25[m],
                                true));
                    }
                }
                for (int m = 0; m < METRICS.length; m++) {
                    figures.add(new Figure(
                            name(),
                            "bm25 " + METRICS[m],
                            "%",
                            bm25[m],
                            "exact cosine scan " + METRICS[m],
                            exactPercent[m],
                            true));
                }
            }
            figures.add(new Figure(
                    name(),
                    "hnsw recall@10 of exact @" + label,
                    "%",
                    100.0 * annRecall / questions.size(),
                    "exact cosine scan",
                    100.0,
                    true));
            Arrays.sort(scan);
            for (SearchMode mode : MODES) {
                double[] sorted = latency.get(mode).clone();
                Arrays.sort(sorted);
                for (double p : new double[] {0.50, 0.99}) {
                    String percentile = "p" + Math.round(p * 100);
                    figures.add(new Figure(
                            name(),
                            modeName(mode) + " query " + percentile + " @" + label,
                            "ms",
                            percentile(sorted, p),
                            "brute-force cosine " + percentile,
                            percentile(scan, p),
                            false));
                }
            }
        }
        return figures;
    }

    private static String modeName(SearchMode mode) {
        return switch (mode) {
            case VECTOR -> "vector";
            case KEYWORD -> "bm25";
            case HYBRID -> "hybrid";
        };
    }

    private static SearchRequest request(Question question, SearchMode mode) {
        return SearchRequest.hybrid(question.vector(), question.text(), K).withMode(mode);
    }

    /** Indexes of the {@link #K} vectors with the highest dot product (= cosine: all are unit vectors), best first. */
    private static int[] exactTop(float[][] vectors, float[] query) {
        int[] top = new int[K];
        double[] scores = new double[K];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < vectors.length; i++) {
            double s = Vectors.dot(vectors[i], query);
            if (s > scores[K - 1]) {
                int j = K - 1;
                while (j > 0 && scores[j - 1] < s) {
                    scores[j] = scores[j - 1];
                    top[j] = top[j - 1];
                    j--;
                }
                scores[j] = s;
                top[j] = i;
            }
        }
        return top;
    }

    static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The XQuAD BEIR files of the shared corpus ({@link CorpusLocation}). */
    static Path corpus() {
        Path beir = CorpusLocation.root().resolve("retrieval-xquad-en/beir-format");
        if (!Files.isRegularFile(beir.resolve("corpus.jsonl"))) {
            throw new IllegalStateException("retrieval-xquad-en/beir-format/corpus.jsonl is missing from the corpus");
        }
        return beir;
    }

    /** {@code _id} to {@code text}, in file order. */
    static Map<String, String> readTexts(Path jsonl) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, String> texts = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(jsonl)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode node = mapper.readTree(line);
                texts.put(node.get("_id").asText(), node.get("text").asText());
            }
        }
        return texts;
    }

    /** Query id to the ids of its paragraphs with a positive score; skips the header. */
    static Map<String, Set<String>> readQrels(Path tsv) throws IOException {
        Map<String, Set<String>> qrels = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(tsv);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split("\t");
            if (fields.length == 3 && Integer.parseInt(fields[2].trim()) > 0) {
                qrels.computeIfAbsent(fields[0], k -> new LinkedHashSet<>()).add(fields[1]);
            }
        }
        return qrels;
    }
}
