package io.frostbyte.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.SearchRequest;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.tenant.Tier;
import io.frostbyte.embed.onnx.OnnxEmbeddingModel;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.postgres.PostgresTenantDocuments;
import io.frostbyte.postgres.PostgresTenantDocuments.DocumentRow;
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
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Search latency over HTTP (issue #8 figures): {@code POST /api/v1/query/{tenant}/search} of a real node on embedded
 * defaults (random port, a tenant token with the query scope only), hybrid, top_k 10, query embedding included, at
 * 10,000 and 100,000 chunks, with 1 and 16 concurrent clients; XQuAD questions as queries.
 *
 * <p>The tenant is filled without running 100k documents through the pipeline: document rows, chunk rows (text,
 * offsets, policy metadata, vectors with model, version and SHA-256) and the index confirmation go into the tenant
 * database through {@link PostgresTenantDocuments} and {@link PostgresDocumentStore}, and the points into the node's
 * own {@link VectorIndex} (the very calls the index stage makes), 25 chunks per document. Texts are the 240 XQuAD
 * paragraphs; vectors are their real MiniLM vectors, each copy with Gaussian noise (sigma 0.02, renormalized) as
 * {@link RetrievalSuite} does.
 *
 * <p>In the same run, per size and client count: the time the real {@link OnnxEmbeddingModel} (configured as the
 * node's: one intra-op thread) takes to embed the same queries at the same concurrency, reported as a share of the
 * HTTP latency; and a bare {@link VectorIndex#search} of the same index with the same query vectors (no HTTP, no
 * database hydration, no proof, no audit), against which the HTTP figures are ratios.
 */
final class SearchLatencySuite implements BenchSuite {
    static final TenantId TENANT = TenantId.of("bench-search");
    private static final int K = 10;
    private static final int CLIENTS = 16;
    private static final int CHUNKS_PER_DOC = 25;
    private static final int[] SIZES = {10_000, 100_000};
    /** Queries of the single-client run at scale 1 (the 16-client run uses every question). */
    private static final int SINGLE_CLIENT_QUERIES = 600;

    private static final int WARM_UP = 50;
    private static final Instant INGESTED = Instant.parse("2026-03-02T10:00:00Z");
    /** The index version of a tenant's first index generation, {@link IndexNamespace#first}. */
    private static final String INDEX_VERSION = "g1";
    /** What the policy stage records for a clean, unflagged chunk classified "other". */
    private static final ChunkRow.Enrichment ENRICHMENT = new ChunkRow.Enrichment(
            List.of(),
            0,
            false,
            false,
            "clean",
            "pass",
            Optional.of("0.900"),
            Optional.of("final"),
            Optional.of("bench"),
            false,
            Optional.empty(),
            Optional.empty());

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();

    @Override
    public String name() {
        return "search";
    }

    @Override
    public String description() {
        return "HTTP search p50/p99 (query embedding included) at 10k and 100k chunks, 1 and 16 clients, vs a bare"
                + " VectorIndex.search of the same vectors; share of the time spent embedding the query";
    }

    /** Latencies in ms, in run order, and the run's wall time. */
    private record Run(double[] millis, double wallSeconds) {
        double percentile(double p) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return RetrievalSuite.percentile(sorted, p);
        }

        double mean() {
            return Arrays.stream(millis).average().orElse(Double.NaN);
        }

        double perSecond() {
            return millis.length / wallSeconds;
        }
    }

    /** One measured call; returns its own latency in nanoseconds. */
    @FunctionalInterface
    private interface Task {
        long run(int item) throws Exception;
    }

    private static long timed(Runnable call) {
        long begun = System.nanoTime();
        call.run();
        return System.nanoTime() - begun;
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        Path corpus = RetrievalSuite.corpus();
        Map<String, String> paragraphs = RetrievalSuite.readTexts(corpus.resolve("corpus.jsonl"));
        Map<String, String> questionTexts = RetrievalSuite.readTexts(corpus.resolve("queries.jsonl"));
        List<String> texts = List.copyOf(paragraphs.values());
        List<String> allQuestions = List.copyOf(questionTexts.values());
        List<String> concurrent = allQuestions.subList(0, Math.min(allQuestions.size(), options.scaled(1190)));
        List<String> single =
                allQuestions.subList(0, Math.min(allQuestions.size(), options.scaled(SINGLE_CLIENT_QUERIES)));

        List<float[]> paragraphVectors = new ArrayList<>();
        try (OnnxEmbeddingModel model =
                OnnxEmbeddingModel.miniLmL6V2Quantized(Runtime.getRuntime().availableProcessors())) {
            for (int i = 0; i < texts.size(); i += 32) {
                for (Embedding e : model.embedDocuments(texts.subList(i, Math.min(texts.size(), i + 32)))) {
                    paragraphVectors.add(e.vector());
                }
            }
        }

        List<Figure> figures = new ArrayList<>();
        // the node embeds queries with miniLmL6V2Quantized(1); the baseline model is configured the same way
        try (FrostbyteNode node = BenchNode.start(options.workDir().resolve("node"));
                OnnxEmbeddingModel queryModel = OnnxEmbeddingModel.miniLmL6V2Quantized(1);
                TenantDatabases databases = BenchNode.tenantDatabases(node, 2)) {
            String token = BenchNode.provision(
                    node, TENANT, Tier.ENTERPRISE, Map.of(), Role.TENANT_USER, EnumSet.of(Scope.QUERY));
            URI search = node.url().orElseThrow().resolve("/api/v1/query/" + TENANT.value() + "/search");
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Populator populator = new Populator(
                    new PostgresTenantDocuments(databases),
                    new PostgresDocumentStore(databases),
                    node.vectorIndex(),
                    queryModel,
                    texts,
                    paragraphVectors);

            Map<String, float[]> queryVectors = new HashMap<>();
            int written = 0;
            for (int size : SIZES) {
                int target = options.scaled(size);
                long started = System.nanoTime();
                populator.populate(written, target);
                int added = target - written;
                written = target;
                System.err.printf(
                        Locale.ROOT,
                        "search: tenant holds %d chunks (%d added in %.1f s)%n",
                        populator.index.count(populator.namespace),
                        added,
                        (System.nanoTime() - started) / 1e9);
                String label = target >= 1000 ? (target / 1000) + "k" : Integer.toString(target);

                // warm-up over HTTP and of the bare path
                check(http, search, token, concurrent.getFirst());
                for (int i = 0; i < Math.min(WARM_UP, concurrent.size()); i++) {
                    httpSearch(http, search, token, body(concurrent.get(i)));
                }
                for (String q : concurrent) {
                    queryVectors.computeIfAbsent(
                            q, t -> queryModel.embedQuery(t).vector());
                }
                for (int i = 0; i < Math.min(WARM_UP, concurrent.size()); i++) {
                    bare(populator, concurrent.get(i), queryVectors);
                }

                for (int clients : new int[] {1, CLIENTS}) {
                    List<String> queries = clients == 1 ? single : concurrent;
                    List<String> bodies = queries.stream().map(this::body).toList();
                    long rejectedBefore = rejected.get();
                    long unavailableBefore = unavailable.get();
                    Run httpRun = run(clients, queries.size(), i -> httpSearch(http, search, token, bodies.get(i)));
                    Run embedRun =
                            run(clients, queries.size(), i -> timed(() -> queryModel.embedQuery(queries.get(i))));
                    Run bareRun = run(
                            clients, queries.size(), i -> timed(() -> bare(populator, queries.get(i), queryVectors)));
                    System.err.printf(
                            Locale.ROOT,
                            "search @%s, %d client(s), %d queries: http p50 %.1f p99 %.1f mean %.1f ms (%.1f q/s,"
                                    + " %d retries after 429, %d after 503); embed p50 %.1f mean %.1f ms; bare p50 %.2f p99 %.2f"
                                    + " ms (%.1f q/s)%n",
                            label,
                            clients,
                            queries.size(),
                            httpRun.percentile(0.50),
                            httpRun.percentile(0.99),
                            httpRun.mean(),
                            httpRun.perSecond(),
                            rejected.get() - rejectedBefore,
                            unavailable.get() - unavailableBefore,
                            embedRun.percentile(0.50),
                            embedRun.mean(),
                            bareRun.percentile(0.50),
                            bareRun.percentile(0.99),
                            bareRun.perSecond());
                    String at = " @" + label + " c" + clients;
                    String bareName = "bare VectorIndex.search, " + clients + (clients == 1 ? " thread" : " threads");
                    for (double p : new double[] {0.50, 0.99}) {
                        String percentile = "p" + Math.round(p * 100);
                        figures.add(new Figure(
                                name(),
                                "http " + percentile + at,
                                "ms",
                                httpRun.percentile(p),
                                bareName + " " + percentile,
                                bareRun.percentile(p),
                                false));
                    }
                    figures.add(new Figure(
                            name(),
                            "http throughput" + at,
                            "q/s",
                            httpRun.perSecond(),
                            bareName + " q/s",
                            bareRun.perSecond(),
                            true));
                    figures.add(new Figure(
                            name(),
                            "embed share (p50)" + at,
                            "ms",
                            embedRun.percentile(0.50),
                            "http p50" + at,
                            httpRun.percentile(0.50),
                            false));
                    figures.add(new Figure(
                            name(),
                            "embed share (mean)" + at,
                            "ms",
                            embedRun.mean(),
                            "http mean" + at,
                            httpRun.mean(),
                            false));
                }
            }
        }
        return figures;
    }

    /** Runs {@code items} tasks on {@code threads} threads, each taking the next item; latency per item. */
    private static Run run(int threads, int items, Task task) throws Exception {
        double[] millis = new double[items];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
                        millis[i] = task.run(i) / 1e6;
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return new Run(millis, (System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private String body(String question) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query_text", question);
        body.put("top_k", K);
        try {
            return mapper.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One search and its latency in nanoseconds; a 429 (the tenant's query rate limit) or 503 (index unavailable,
     * with Retry-After) waits for its Retry-After and retries, so the latency of a rejected call never counts (the
     * retries are counted and printed).
     */
    private long httpSearch(HttpClient http, URI search, String token, String body) throws Exception {
        while (true) {
            long begun = System.nanoTime();
            HttpResponse<String> response =
                    http.send(request(search, token, body), HttpResponse.BodyHandlers.ofString());
            long elapsed = System.nanoTime() - begun;
            if (response.statusCode() == 200) {
                return elapsed;
            }
            if (response.statusCode() == 503) {
                unavailable.incrementAndGet();
            } else if (response.statusCode() != 429) {
                throw new IllegalStateException("search failed with " + response.statusCode());
            }
            rejected.addAndGet(response.statusCode() == 429 ? 1 : 0);
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
            Thread.sleep(seconds * 1000);
        }
    }

    /** One search whose answer must be what the suite measures: 10 chunks of the tenant with a signed proof. */
    private void check(HttpClient http, URI search, String token, String question) throws Exception {
        HttpResponse<String> response =
                http.send(request(search, token, body(question)), HttpResponse.BodyHandlers.ofString());
        JsonNode data = mapper.readTree(response.body()).path("data");
        if (response.statusCode() != 200
                || data.path("chunks").size() != K
                || data.path("proof").isMissingNode()
                || !data.path("model_version_match").asBoolean(false)) {
            throw new IllegalStateException("unexpected search answer: status " + response.statusCode() + ", "
                    + data.path("chunks").size() + " chunks");
        }
    }

    private static HttpRequest request(URI search, String token, String body) {
        return HttpRequest.newBuilder(search)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    /** The bare index search the node's search runs, with a precomputed query vector. */
    private static void bare(Populator populator, String question, Map<String, float[]> queryVectors) {
        populator.index.search(populator.namespace, SearchRequest.hybrid(queryVectors.get(question), question, K));
    }

    /**
     * Writes synthetic documents into the tenant's database and index with the calls the pipeline's policy, embed
     * and index stages make, {@value #CHUNKS_PER_DOC} chunks per document.
     */
    private static final class Populator {
        private final PostgresTenantDocuments documents;
        private final PostgresDocumentStore store;
        private final VectorIndex index;
        private final IndexNamespace namespace = IndexNamespace.first(TENANT);
        private final OnnxEmbeddingModel model;
        private final List<String> texts;
        private final List<float[]> vectors;
        private final Random random = new Random(42);

        Populator(
                PostgresTenantDocuments documents,
                PostgresDocumentStore store,
                VectorIndex index,
                OnnxEmbeddingModel model,
                List<String> texts,
                List<float[]> vectors) {
            this.documents = documents;
            this.store = store;
            this.index = index;
            this.model = model;
            this.texts = texts;
            this.vectors = vectors;
            if (!index.exists(namespace)) {
                index.create(namespace, model.dimension());
            }
        }

        /** Adds chunks {@code from} (inclusive) to {@code to} (exclusive); {@code from} is a multiple of 25. */
        void populate(int from, int to) {
            List<IndexPoint> pending = new ArrayList<>();
            List<String> pendingDocs = new ArrayList<>();
            for (int first = from; first < to; first += CHUNKS_PER_DOC) {
                int doc = first / CHUNKS_PER_DOC;
                int last = Math.min(to, first + CHUNKS_PER_DOC);
                String rawSha = BenchNode.sha256("frostbyte-bench-search-document-" + doc);
                String docId = "doc_" + rawSha.substring(0, 24);
                Instant ingested = INGESTED.plusSeconds(doc);
                List<ChunkRow> rows = new ArrayList<>();
                Map<String, float[]> docVectors = new LinkedHashMap<>();
                Map<String, String> hashes = new HashMap<>();
                int offset = 0;
                for (int j = first; j < last; j++) {
                    int paragraph = j % texts.size();
                    String text = texts.get(paragraph);
                    String chunkId =
                            "chk_" + BenchNode.sha256(docId + ":" + (j - first)).substring(0, 24);
                    float[] vector = RetrievalSuite.noisyCopy(vectors.get(paragraph), random);
                    rows.add(new ChunkRow(
                            chunkId,
                            docId,
                            j - first,
                            1,
                            1,
                            offset,
                            offset + text.length(),
                            "paragraph",
                            Optional.empty(),
                            text,
                            BenchNode.sha256(text),
                            "active",
                            "",
                            "none",
                            "0.000",
                            "",
                            Optional.of("other"),
                            Optional.empty(),
                            Optional.empty(),
                            ENRICHMENT));
                    docVectors.put(chunkId, vector);
                    hashes.put(chunkId, Vectors.sha256Hex(vector));
                    pending.add(new IndexPoint(chunkId, new DocId(docId), "other", 1, ingested, vector, text));
                    offset += text.length() + 2;
                }
                documents.claim(
                        TENANT,
                        new DocumentRow(
                                docId,
                                rawSha,
                                "bench-search",
                                "f" + doc,
                                UUID.nameUUIDFromBytes(rawSha.getBytes(StandardCharsets.UTF_8)),
                                "synthetic-" + doc + ".txt",
                                "text/plain",
                                offset,
                                "bench/" + docId,
                                1,
                                "ingested",
                                ingested));
                Instant now = Instant.now();
                store.replaceChunks(
                        TENANT,
                        docId,
                        rows,
                        Optional.of("other"),
                        Optional.of("0.900"),
                        Optional.of("final"),
                        Optional.of("bench"),
                        "",
                        "policy_passed",
                        now);
                store.vectors(
                        TENANT,
                        docId,
                        docVectors,
                        hashes,
                        Map.of(),
                        model.modelId(),
                        model.version(),
                        model.dimension(),
                        now);
                pendingDocs.add(docId);
                if (pending.size() > VectorIndex.MAX_BATCH - CHUNKS_PER_DOC || last == to) {
                    index.upsert(namespace, pending);
                    for (String written : pendingDocs) {
                        store.indexed(TENANT, written, INDEX_VERSION, Instant.now());
                    }
                    pending.clear();
                    pendingDocs.clear();
                }
            }
        }
    }
}
