package io.frostbyte.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.bench.BenchNode.Upload;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.intake.IntakeType;
import io.frostbyte.core.intake.MimeSniffer;
import io.frostbyte.core.intake.Sniffed;
import io.frostbyte.core.tenant.Tier;
import io.frostbyte.embed.onnx.OnnxEmbeddingModel;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.server.FrostbyteNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The whole pipeline on real documents: the PDF, DOCX, XLSX, TXT and CSV files of {@code shared/corpus} (each distinct
 * file once, then TXT and CSV files again with a unique line appended, so nothing is deduplicated) uploaded over HTTP
 * to a real node on embedded defaults (filesystem object store, envelope encryption, audit, every PII type redacted,
 * injection and classification gates on), until every batch is finished. It reports documents per minute, chunks per
 * second, each stage's queue wait and work (from the jobs table and the stage events' {@code duration_ms}), CPU use and
 * peak heap; then, in the same run, embeds the very chunk texts the pipeline embedded (read back from the tenant
 * database) with a separate {@link OnnxEmbeddingModel} using every core: the bare embedder's chunks per second. The
 * last figure, {@code efficiency}, is the pipeline's chunks per second over the bare embedder's.
 *
 * <p>Both sides are measured warm, as a node that has been running a while is: before the timed run the same node
 * ingests the whole set once into a separate tenant (the warm-up), so the JIT has compiled and profiled the parsers,
 * gates and stores on these formats (the bare embedder gets its own warm-up call). A shorter warm-up left the timed
 * run in code the JIT was still compiling: after 80 documents its compiler threads took a quarter of the timed run's
 * CPU and the rest ran a third slower than after a full pass. The JIT's CPU time during the timed run is reported, and
 * the warm-up's own rate is reported as the cold-node figure. A separate tenant shares no embedding cache,
 * deduplication or index with the timed one.
 */
final class E2eSuite implements BenchSuite {
    private static final TenantId TENANT = TenantId.of("bench-e2e");
    private static final TenantId WARMUP_TENANT = TenantId.of("bench-e2e-warmup");

    private static final double MB = 1024.0 * 1024.0;
    /** Documents per uploaded batch. */
    private static final int BATCH_FILES = 100;
    /** Documents at scale 1: the distinct corpus files plus enough text variants for well over 2,000 chunks. */
    static final int DOCUMENTS = 1000;
    /** Pages of the generated native PDF timed on its own after the main run. */
    static final int LONG_PDF_PAGES = 100;

    private static final Set<IntakeType> TYPES =
            EnumSet.of(IntakeType.PDF, IntakeType.DOCX, IntakeType.XLSX, IntakeType.TXT, IntakeType.CSV);
    private static final List<String> STAGES = List.of("parse", "policy", "embed", "index");
    private static final Map<String, String> STAGE_EVENTS = Map.of(
            "parse", "DOCUMENT_PARSED",
            "policy", "POLICY_GATE_PASSED",
            "embed", "DOCUMENT_EMBEDDED",
            "index", "INDEX_WRITTEN");

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public String description() {
        return "corpus PDF/DOCX/XLSX/TXT/CSV through the real server with every gate on: docs/min, chunks/s, stage"
                + " wait/work, CPU, peak heap; efficiency = pipeline chunks/s / bare embedder chunks/s";
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        List<Upload> documents = documents(corpus(), options.scaled(DOCUMENTS));
        try (FrostbyteNode node = BenchNode.start(options.workDir().resolve("e2e-node"))) {
            URI base = node.url().orElseThrow();
            HttpClient http = HttpClient.newHttpClient();
            double coldDocsPerMinute = warmUp(node, http, base, documents);
            String token = provision(node, TENANT);

            System.gc();
            resetPeaks();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            double jitBefore = compilerCpuSeconds();
            long started = System.nanoTime();
            List<String> batchIds = BenchNode.uploadInBatches(http, base, token, TENANT, "e2e", documents, BATCH_FILES);
            awaitSettled(node, TENANT);
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            double jitSeconds = compilerCpuSeconds() - jitBefore;
            long peakHeap = peakHeap();
            long liveHeap = liveHeap();
            List<String> docIds = new ArrayList<>();
            Map<String, Integer> fileStatuses = new java.util.TreeMap<>();
            for (String batchId : batchIds) {
                for (JsonNode file : batch(http, base, token, batchId).path("files")) {
                    fileStatuses.merge(file.path("file_status").asText(), 1, Integer::sum);
                    if (file.path("file_status").asText().equals("indexed")) {
                        docIds.add(file.path("doc_id").asText());
                    }
                }
            }
            System.err.println("e2e: " + documents.size() + " documents in " + batchIds.size() + " batches, files "
                    + fileStatuses + ", " + String.format(Locale.ROOT, "%.1f s", wallSeconds));

            List<String> texts = chunkTexts(node, docIds);
            StageTimes stages = stageTimes(node);
            long cacheHits = cacheHits(node);
            double longPdfSeconds = longPdf(http, base, token);
            double bareRate = bareEmbedderRate(texts);

            int cores = Runtime.getRuntime().availableProcessors();
            double chunksPerSecond = texts.size() / wallSeconds;
            double docsPerMinute = docIds.size() / wallSeconds * 60;
            double bareDocsPerMinute = texts.isEmpty() ? 0 : bareRate * docIds.size() / texts.size() * 60;
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure(
                    "e2e", "documents indexed", "docs", docIds.size(), "documents uploaded", documents.size(), true));
            figures.add(new Figure("e2e", "chunks embedded", "chunks", texts.size(), "target", 2000, true));
            figures.add(new Figure(
                    "e2e",
                    "documents per minute",
                    "docs/min",
                    docsPerMinute,
                    "bare embedder, same chunks",
                    bareDocsPerMinute,
                    true));
            double totalWork = 0;
            for (String stage : STAGES) {
                totalWork += stages.workMs().getOrDefault(stage, 0.0);
            }
            for (String stage : STAGES) {
                double work = stages.workMs().getOrDefault(stage, 0.0);
                figures.add(new Figure(
                        "e2e", stage + " work per doc", "ms", work, "all stages' work per doc", totalWork, false));
                figures.add(new Figure(
                        "e2e",
                        stage + " queue wait per doc",
                        "ms",
                        stages.waitMs().getOrDefault(stage, 0.0),
                        stage + " work per doc",
                        work,
                        false));
            }
            figures.add(new Figure(
                    "e2e", "CPU use (cpu time / wall)", "cores", cpuSeconds / wallSeconds, "cores", cores, true));
            figures.add(new Figure(
                    "e2e",
                    "JIT compiler threads' CPU time during the run",
                    "s",
                    jitSeconds,
                    "CPU time of the run",
                    cpuSeconds,
                    false));
            figures.add(new Figure(
                    "e2e",
                    "chunks whose vector came from the embedding cache",
                    "chunks",
                    cacheHits,
                    "chunks embedded",
                    texts.size(),
                    false));
            figures.add(new Figure(
                    "e2e",
                    "efficiency counting only chunks the model embedded",
                    "chunks/s",
                    (texts.size() - cacheHits) / wallSeconds,
                    "bare embedder chunks/s, same texts",
                    bareRate,
                    true));
            figures.add(new Figure(
                    "e2e",
                    LONG_PDF_PAGES + "-page native PDF, upload to indexed",
                    "s",
                    longPdfSeconds,
                    "aim",
                    30,
                    false));
            figures.add(new Figure(
                    "e2e",
                    "documents per minute on a cold node (the warm-up)",
                    "docs/min",
                    coldDocsPerMinute,
                    "documents per minute, warm",
                    docsPerMinute,
                    true));
            figures.add(new Figure(
                    "e2e",
                    "peak heap",
                    "MB",
                    peakHeap / MB,
                    "max heap",
                    Runtime.getRuntime().maxMemory() / MB,
                    false));
            figures.add(new Figure(
                    "e2e",
                    "live heap after the run (after a full GC)",
                    "MB",
                    liveHeap / MB,
                    "peak heap",
                    peakHeap / MB,
                    false));
            figures.add(new Figure(
                    "e2e",
                    "efficiency",
                    "chunks/s",
                    chunksPerSecond,
                    "bare embedder chunks/s, same texts",
                    bareRate,
                    true));
            return figures;
        }
    }

    /**
     * Ingests the whole set into the warm-up tenant and waits until it settles; returns its documents per minute (a
     * cold JVM's rate).
     */
    private double warmUp(FrostbyteNode node, HttpClient http, URI base, List<Upload> documents) throws Exception {
        String token = provision(node, WARMUP_TENANT);
        List<Upload> warmup = documents;
        long started = System.nanoTime();
        BenchNode.uploadInBatches(http, base, token, WARMUP_TENANT, "e2e-warmup", warmup, BATCH_FILES);
        awaitSettled(node, WARMUP_TENANT);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.err.println(
                String.format(Locale.ROOT, "e2e: warm-up of %d documents settled in %.1f s", warmup.size(), seconds));
        return warmup.size() / seconds * 60;
    }

    /**
     * CPU seconds the JVM's JIT compiler threads have used so far, from {@code /proc/self/task} (Linux; NaN elsewhere).
     * The compilation MXBean's figure is elapsed time, which on a busy machine is far more than the CPU it took.
     */
    static double compilerCpuSeconds() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return Double.NaN;
        }
        long ticks = 0;
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] fields = stat.substring(close + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException e) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / 100.0; // USER_HZ
    }

    /** Chunks of the run's documents whose vectors the embed stage took from the cache (DOCUMENT_EMBEDDED). */
    private static long cacheHits(FrostbyteNode node) throws SQLException {
        try (Connection connection = node.database().database().dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT coalesce(sum((details->>'cache_hits')"
                        + "::bigint), 0) FROM audit_events WHERE tenant_id = ? AND event_type = 'DOCUMENT_EMBEDDED'")) {
            query.setString(1, TENANT.value());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Uploads one generated native PDF of {@value #LONG_PDF_PAGES} pages on the idle node and returns the seconds from
     * the start of the upload until its batch is finished (issue #10's second aim: under 30 s).
     */
    private double longPdf(HttpClient http, URI base, String token) throws Exception {
        byte[] pdf = LongPdf.generate(corpus(), LONG_PDF_PAGES);
        long started = System.nanoTime();
        upload(http, base, token, "e2e-long-pdf", List.of(new Upload("long-pdf", "long-report.pdf", pdf)));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            JsonNode batch = batch(http, base, token, "e2e-long-pdf");
            String status = batch.path("status").asText();
            if (status.startsWith("COMPLETED") || status.equals("FAILED")) {
                double seconds = (System.nanoTime() - started) / 1e9;
                JsonNode file = batch.path("files").path(0);
                System.err.println(String.format(
                        Locale.ROOT,
                        "e2e: %d-page PDF (%d bytes) %s in %.1f s",
                        LONG_PDF_PAGES,
                        pdf.length,
                        file.path("file_status").asText(),
                        seconds));
                if (!file.path("file_status").asText().equals("indexed")) {
                    throw new IllegalStateException("the long PDF was not indexed: " + file);
                }
                return seconds;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the long PDF was not indexed in 10 minutes");
    }

    private static Path corpus() {
        return CorpusLocation.root();
    }

    /**
     * The document set: every distinct corpus file of an allowed type whose content sniffs as its extension's type,
     * then the TXT and CSV files again, round after round, each with one unique line appended, up to {@code count}.
     */
    static List<Upload> documents(Path corpus, int count) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(corpus)) {
            paths = walk.filter(Files::isRegularFile).sorted().toList();
        }
        MimeSniffer sniffer = new MimeSniffer();
        Set<String> seen = new HashSet<>();
        List<Upload> distinct = new ArrayList<>();
        List<Upload> text = new ArrayList<>();
        for (Path path : paths) {
            String filename = path.getFileName().toString();
            String extension = IntakeType.extensionOf(filename);
            Optional<IntakeType> type = TYPES.stream()
                    .filter(candidate -> candidate.hasExtension(extension))
                    .findFirst();
            if (type.isEmpty()) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(path);
            if (bytes.length == 0
                    || !sniffs(sniffer, bytes, extension, type.get())
                    || !seen.add(BenchNode.sha256(bytes))) {
                continue;
            }
            Upload upload = new Upload("f" + distinct.size(), filename, bytes);
            distinct.add(upload);
            if (type.get() == IntakeType.TXT || type.get() == IntakeType.CSV) {
                text.add(upload);
            }
        }
        List<Upload> all = new ArrayList<>(distinct.subList(0, Math.min(count, distinct.size())));
        for (int round = 1; all.size() < count && !text.isEmpty(); round++) {
            for (Upload original : text) {
                if (all.size() >= count) {
                    break;
                }
                String extension = IntakeType.extensionOf(original.filename());
                String line = extension.equals("csv")
                        ? "bench-variant-" + round + "-" + original.id()
                        : "Frostbyte bench variant " + round + " of " + original.id() + ".";
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(original.bytes());
                byte last = original.bytes()[original.bytes().length - 1];
                out.writeBytes(((last == '\n' ? "" : "\n") + line + "\n").getBytes(StandardCharsets.UTF_8));
                byte[] bytes = out.toByteArray();
                IntakeType type = extension.equals("csv") ? IntakeType.CSV : IntakeType.TXT;
                if (sniffs(sniffer, bytes, extension, type) && seen.add(BenchNode.sha256(bytes))) {
                    all.add(new Upload("v" + round + "-" + original.id(), original.filename(), bytes));
                }
            }
        }
        return all;
    }

    private static boolean sniffs(MimeSniffer sniffer, byte[] bytes, String extension, IntakeType expected) {
        byte[] window = Arrays.copyOf(bytes, Math.min(bytes.length, MimeSniffer.WINDOW_BYTES));
        try {
            Sniffed sniffed = sniffer.sniff(window, bytes.length, extension, () -> new ByteArrayInputStream(bytes));
            return sniffed.type().equals(Optional.of(expected));
        } catch (java.io.UncheckedIOException e) {
            return false; // a truncated container in the corpus: intake would reject it too
        }
    }

    private static String provision(FrostbyteNode node, TenantId tenant) throws Exception {
        return BenchNode.provision(
                node,
                tenant,
                Tier.STANDARD,
                Map.of(
                        "pii_policy",
                        "redact",
                        "pii_types",
                        List.of(
                                "SSN",
                                "DOB",
                                "EMAIL",
                                "PHONE",
                                "FINANCIAL_ACCOUNT",
                                "PASSPORT",
                                "DRIVERS_LICENSE",
                                "MEDICAL_RECORD",
                                "NAME"),
                        "max_batch_size",
                        BATCH_FILES),
                Role.TENANT_ADMIN,
                EnumSet.of(Scope.INGEST, Scope.QUERY));
    }

    private static void upload(HttpClient http, URI base, String token, String batchId, List<Upload> files)
            throws Exception {
        BenchNode.upload(http, base, token, TENANT, batchId, files);
    }

    private static JsonNode batch(HttpClient http, URI base, String token, String batchId) throws Exception {
        return BenchNode.batch(http, base, token, TENANT, batchId);
    }

    /** Polling period of the settle check: the database is asked, not the rate-limited API. */
    private static final Duration SETTLE_POLL = Duration.ofMillis(250);

    /**
     * Waits until no first attempt of the tenant's jobs is left: every document went through every stage it could (a
     * stage enqueues the next job in the transaction that completes its own, so the count never drops to zero while
     * work remains). A job that failed and waits for its retry is a failure, not throughput: its backoff would only add
     * idle minutes. The database is polled every {@link #SETTLE_POLL}, so the wall time is exact to that period.
     */
    private static void awaitSettled(FrostbyteNode node, TenantId tenant) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofHours(2));
        while (Instant.now().isBefore(deadline)) {
            if (openFirstAttempts(node, tenant) == 0) {
                return;
            }
            Thread.sleep(SETTLE_POLL);
        }
        throw new IllegalStateException("the batches did not finish in time");
    }

    private static long openFirstAttempts(FrostbyteNode node, TenantId tenant) throws SQLException {
        try (Connection connection = node.database().database().dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM jobs WHERE tenant_id = ?"
                        + " AND (status = 'processing' OR (status = 'queued' AND attempt = 0))")) {
            query.setString(1, tenant.value());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The texts the embed stage embedded: every indexed document's chunks that are not quarantined. */
    private static List<String> chunkTexts(FrostbyteNode node, List<String> docIds) {
        PostgresDocumentStore store = new PostgresDocumentStore(node.tenantDatabases());
        List<String> texts = new ArrayList<>();
        for (String docId : docIds) {
            for (ChunkRow chunk : store.chunks(TENANT, docId)) {
                if (!chunk.quarantined()) {
                    texts.add(chunk.text());
                }
            }
        }
        return texts;
    }

    /** The bare embedder on the same texts: a separate model using every core, in its largest batches. */
    private static double bareEmbedderRate(List<String> texts) {
        if (texts.isEmpty()) {
            return 0;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.miniLmL6V2Quantized(cores)) {
            model.embedDocuments(texts.subList(0, Math.min(texts.size(), 32))); // warm-up
            long started = System.nanoTime();
            for (int from = 0; from < texts.size(); from += model.maxBatchSize()) {
                model.embedDocuments(texts.subList(from, Math.min(texts.size(), from + model.maxBatchSize())));
            }
            return texts.size() / ((System.nanoTime() - started) / 1e9);
        }
    }

    /** Mean queue wait per stage (job created → first leased) and mean work (the stage event's duration_ms). */
    private record StageTimes(Map<String, Double> waitMs, Map<String, Double> workMs) {}

    private static StageTimes stageTimes(FrostbyteNode node) throws SQLException {
        Map<String, Double> wait = new LinkedHashMap<>();
        Map<String, Double> work = new LinkedHashMap<>();
        try (Connection connection = node.database().database().dataSource().getConnection()) {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT stage, avg(EXTRACT(EPOCH FROM (first_attempt_at - created_at)) * 1000)"
                            + " FROM jobs WHERE tenant_id = ? AND first_attempt_at IS NOT NULL GROUP BY stage")) {
                query.setString(1, TENANT.value());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        wait.put(rows.getString(1), rows.getDouble(2));
                    }
                }
            }
            for (String stage : STAGES) {
                // the policy stage's three gate events carry the same duration: the classification gate's is the
                // stage's
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT avg((details->>'duration_ms')::double precision) FROM audit_events"
                                + " WHERE tenant_id = ? AND event_type = ?"
                                + (stage.equals("policy") ? " AND details->>'gate' = 'classification'" : ""))) {
                    query.setString(1, TENANT.value());
                    query.setString(2, STAGE_EVENTS.get(stage));
                    try (ResultSet rows = query.executeQuery()) {
                        if (rows.next()) {
                            work.put(stage, rows.getDouble(1));
                        }
                    }
                }
            }
        }
        return new StageTimes(wait, work);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    // the sum of the heap pools' peaks: an upper bound of the heap in use at any one time (garbage included)
    /** Heap in use after a full collection: what the node keeps, whatever the number of documents it ingested. */
    private static long liveHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
