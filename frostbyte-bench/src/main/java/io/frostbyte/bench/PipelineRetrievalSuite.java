package io.frostbyte.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.SearchHit;
import io.frostbyte.core.index.SearchMode;
import io.frostbyte.core.index.SearchRequest;
import io.frostbyte.core.tenant.Tier;
import io.frostbyte.embed.onnx.OnnxEmbeddingModel;
import io.frostbyte.index.lucene.LuceneVectorIndex;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.postgres.TenantDatabases;
import io.frostbyte.server.FrostbyteNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Retrieval quality on XQuAD ingested through the real pipeline (issue #7): a real node on embedded defaults, the 240
 * paragraphs uploaded as one {@code .txt} file each through {@code POST /api/v1/ingest/{tenant}/batch} with a manifest,
 * parsed, policy-checked (the tenant defaults: SSN, DOB and e-mail redacted, injection and classification gates on),
 * chunked, embedded and indexed by the node's stages; then every question through {@code POST
 * /api/v1/query/{tenant}/search} with {@code top_k} 10 in each {@code mode} the API offers (vector, keyword = BM25,
 * hybrid). Hits map to paragraphs by doc id → the file id of the manifest; a paragraph the chunker split counts once,
 * at its best rank.
 *
 * <p>Baseline, same run: the same paragraphs written straight to a {@link LuceneVectorIndex} (one point each, as
 * {@link RetrievalSuite} does) and searched with the same questions and modes.
 */
final class PipelineRetrievalSuite implements BenchSuite {
    static final TenantId TENANT = TenantId.of("bench-quality");
    private static final int K = 10;
    private static final int BATCH_FILES = 100;
    private static final List<SearchMode> MODES = List.of(SearchMode.VECTOR, SearchMode.KEYWORD, SearchMode.HYBRID);
    /** Reported metrics: indexes into {@link RetrievalSuite.Quality#percent()}. */
    private static final int[] REPORTED = {0, 2, 4};

    private final ObjectMapper mapper = new ObjectMapper();
    /** Retried searches by HTTP status. */
    private final Map<Integer, Integer> retries = new TreeMap<>();

    @Override
    public String name() {
        return "retrieval-pipeline";
    }

    @Override
    public String description() {
        return "XQuAD through intake, parse, policy, chunker, embed and index of a real node, searched over HTTP:"
                + " recall@1/10, nDCG@10 for vector, BM25 and hybrid vs the paragraphs written straight to an index";
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        Path corpus = RetrievalSuite.corpus();
        Map<String, String> paragraphs = RetrievalSuite.readTexts(corpus.resolve("corpus.jsonl"));
        Map<String, String> questionTexts = RetrievalSuite.readTexts(corpus.resolve("queries.jsonl"));
        Map<String, Set<String>> qrels = RetrievalSuite.readQrels(corpus.resolve("qrels/test.tsv"));
        List<String> paragraphIds = List.copyOf(paragraphs.keySet());
        List<String> questionIds = questionTexts.keySet().stream()
                .filter(qrels::containsKey)
                .limit(options.scaled(questionTexts.size()))
                .toList();

        Map<SearchMode, RetrievalSuite.Quality> pipeline = new EnumMap<>(SearchMode.class);
        Map<SearchMode, double[]> latency = new EnumMap<>(SearchMode.class);
        int indexed;
        int chunks;
        try (FrostbyteNode node = BenchNode.start(options.workDir().resolve("node"));
                TenantDatabases databases = BenchNode.tenantDatabases(node, 1)) {
            String token = BenchNode.provision(
                    node, TENANT, Tier.ENTERPRISE, Map.of(), Role.TENANT_ADMIN, EnumSet.of(Scope.INGEST, Scope.QUERY));
            URI base = node.url().orElseThrow();
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            List<BenchNode.Upload> uploads = new ArrayList<>();
            Map<String, String> paragraphOfFile = new HashMap<>();
            for (int i = 0; i < paragraphIds.size(); i++) {
                String id = paragraphIds.get(i);
                uploads.add(new BenchNode.Upload(
                        "p" + i, "xquad-" + id + ".txt", paragraphs.get(id).getBytes(StandardCharsets.UTF_8)));
                paragraphOfFile.put("p" + i, id);
            }
            long started = System.nanoTime();
            List<String> batchIds = BenchNode.uploadInBatches(http, base, token, TENANT, "xquad", uploads, BATCH_FILES);
            awaitFinished(http, base, token, batchIds);
            Map<String, String> paragraphOfDoc = new HashMap<>();
            Map<String, Integer> statuses = new TreeMap<>();
            for (String batchId : batchIds) {
                for (JsonNode file :
                        BenchNode.batch(http, base, token, TENANT, batchId).path("files")) {
                    statuses.merge(file.path("file_status").asText(), 1, Integer::sum);
                    if (file.path("file_status").asText().equals("indexed")) {
                        paragraphOfDoc.put(
                                file.path("doc_id").asText(),
                                paragraphOfFile.get(file.path("file_id").asText()));
                    }
                }
            }
            indexed = paragraphOfDoc.size();
            PostgresDocumentStore store = new PostgresDocumentStore(databases);
            chunks = 0;
            for (String docId : paragraphOfDoc.keySet()) {
                chunks += (int) store.chunks(TENANT, docId).stream()
                        .filter(c -> !c.quarantined())
                        .map(ChunkRow::chunkId)
                        .count();
            }
            System.err.printf(
                    Locale.ROOT,
                    "retrieval-pipeline: %d files in %.1f s, statuses %s, %d chunks%n",
                    uploads.size(),
                    (System.nanoTime() - started) / 1e9,
                    statuses,
                    chunks);

            URI search = base.resolve("/api/v1/query/" + TENANT.value() + "/search");
            for (SearchMode mode : MODES) {
                pipeline.put(mode, new RetrievalSuite.Quality());
                latency.put(mode, new double[questionIds.size()]);
            }
            for (int q = 0; q < questionIds.size(); q++) {
                String id = questionIds.get(q);
                for (SearchMode mode : MODES) {
                    Answer answer = search(http, search, token, questionTexts.get(id), mode);
                    JsonNode data = answer.data();
                    latency.get(mode)[q] = answer.millis();
                    List<String> ranked =
                            new ArrayList<>(new LinkedHashSet<>(data.path("chunks").findValuesAsText("doc_id").stream()
                                    .map(paragraphOfDoc::get)
                                    .toList()));
                    pipeline.get(mode).add(ranked, qrels.get(id));
                }
            }
        }

        System.err.println("retrieval-pipeline: searches retried by status " + retries);
        Map<SearchMode, RetrievalSuite.Quality> direct = direct(
                options.workDir().resolve("direct"),
                paragraphs,
                questionIds.stream().map(questionTexts::get).toList(),
                questionIds.stream().map(qrels::get).toList());

        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure(
                name(), "documents indexed", "docs", indexed, "paragraphs uploaded", paragraphIds.size(), true));
        figures.add(new Figure(name(), "chunks indexed", "chunks", chunks, "documents indexed", indexed, true));
        for (SearchMode mode : MODES) {
            double[] values = pipeline.get(mode).percent();
            double[] baseline = direct.get(mode).percent();
            for (int m : REPORTED) {
                figures.add(new Figure(
                        name(),
                        "pipeline " + modeName(mode) + " " + RetrievalSuite.METRICS[m],
                        "%",
                        values[m],
                        "direct index " + modeName(mode) + " " + RetrievalSuite.METRICS[m],
                        baseline[m],
                        true));
            }
        }
        for (SearchMode mode : MODES) {
            double[] sorted = latency.get(mode).clone();
            java.util.Arrays.sort(sorted);
            double[] hybrid = latency.get(SearchMode.HYBRID).clone();
            java.util.Arrays.sort(hybrid);
            if (mode != SearchMode.HYBRID) {
                figures.add(new Figure(
                        name(),
                        "http " + modeName(mode) + " p50 @" + chunks,
                        "ms",
                        RetrievalSuite.percentile(sorted, 0.50),
                        "http hybrid p50",
                        RetrievalSuite.percentile(hybrid, 0.50),
                        false));
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

    /** The same paragraphs, one point each, written straight to an index and searched with the same questions. */
    private static Map<SearchMode, RetrievalSuite.Quality> direct(
            Path dir, Map<String, String> paragraphs, List<String> questions, List<Set<String>> relevant) {
        List<String> ids = List.copyOf(paragraphs.keySet());
        List<String> texts = ids.stream().map(paragraphs::get).toList();
        Map<SearchMode, RetrievalSuite.Quality> quality = new EnumMap<>(SearchMode.class);
        IndexNamespace namespace = IndexNamespace.first(TENANT);
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.miniLmL6V2Quantized(
                        Runtime.getRuntime().availableProcessors());
                LuceneVectorIndex index = new LuceneVectorIndex(dir)) {
            index.create(namespace, model.dimension());
            List<IndexPoint> points = new ArrayList<>();
            Map<String, String> paragraphOfChunk = new LinkedHashMap<>();
            for (int from = 0; from < texts.size(); from += 32) {
                List<Embedding> embedded = model.embedDocuments(texts.subList(from, Math.min(texts.size(), from + 32)));
                for (int i = 0; i < embedded.size(); i++) {
                    int p = from + i;
                    String hex = String.format(Locale.ROOT, "%024x", p);
                    points.add(new IndexPoint(
                            "chk_" + hex,
                            new DocId("doc_" + hex),
                            "other",
                            1,
                            Instant.parse("2026-03-02T10:00:00Z"),
                            embedded.get(i).vector(),
                            texts.get(p)));
                    paragraphOfChunk.put("chk_" + hex, ids.get(p));
                }
            }
            index.upsert(namespace, points);
            for (SearchMode mode : MODES) {
                quality.put(mode, new RetrievalSuite.Quality());
            }
            for (int q = 0; q < questions.size(); q++) {
                float[] vector = model.embedQuery(questions.get(q)).vector();
                for (SearchMode mode : MODES) {
                    List<String> ranked = index
                            .search(
                                    namespace,
                                    SearchRequest.hybrid(vector, questions.get(q), K)
                                            .withMode(mode))
                            .stream()
                            .map(SearchHit::chunkId)
                            .map(paragraphOfChunk::get)
                            .toList();
                    quality.get(mode).add(ranked, relevant.get(q));
                }
            }
        }
        return quality;
    }

    /** A search answer's {@code data} and the latency of the call that returned it. */
    private record Answer(JsonNode data, double millis) {}

    /**
     * One search; a 429 or 503 (each with Retry-After) waits and retries (counted in {@link #retries}), so only the
     * answered call's latency counts.
     */
    private Answer search(HttpClient http, URI search, String token, String question, SearchMode mode)
            throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query_text", question);
        body.put("top_k", K);
        body.put("mode", mode.name().toLowerCase(Locale.ROOT));
        HttpRequest request = HttpRequest.newBuilder(search)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body), StandardCharsets.UTF_8))
                .build();
        while (true) {
            long begun = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - begun) / 1e6;
            if (response.statusCode() == 200) {
                return new Answer(mapper.readTree(response.body()).path("data"), millis);
            }
            if (response.statusCode() != 429 && response.statusCode() != 503) {
                throw new IllegalStateException("search failed with " + response.statusCode());
            }
            retries.merge(response.statusCode(), 1, Integer::sum);
            Thread.sleep(
                    1000 * response.headers().firstValueAsLong("Retry-After").orElse(1));
        }
    }

    /** Waits until every batch is finished (COMPLETED…, or FAILED). */
    private static void awaitFinished(HttpClient http, URI base, String token, List<String> batchIds) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofHours(1));
        while (Instant.now().isBefore(deadline)) {
            boolean finished = true;
            for (String batchId : batchIds) {
                String status = BenchNode.batch(http, base, token, TENANT, batchId)
                        .path("status")
                        .asText();
                finished &= status.startsWith("COMPLETED") || status.equals("FAILED");
            }
            if (finished) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the batches did not finish in time");
    }
}
