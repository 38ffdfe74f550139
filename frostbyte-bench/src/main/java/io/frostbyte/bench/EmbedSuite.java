package io.frostbyte.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.SearchRequest;
import io.frostbyte.embed.onnx.OnnxEmbeddingModel;
import io.frostbyte.index.lucene.LuceneVectorIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;

/**
 * The ONNX embedder and the Lucene index on real XQuAD paragraphs ({@code shared/corpus/retrieval-xquad-en}):
 *
 * <ul>
 *   <li>embedding throughput at batch 1, 16, 32, 64 against tokenizing the same texts alone (the ratio is the share of
 *       time that is not model inference);
 *   <li>index upserts (batches of 64, each committed and made searchable) against a bare Lucene {@code IndexWriter}
 *       adding the same documents with one commit;
 *   <li>hybrid query latency p50/p95 against an exact brute-force cosine scan of the same vectors.
 * </ul>
 *
 * The index holds 10,000 chunks (at scale 1): the 240 paragraphs' real MiniLM vectors, each repeated with small
 * Gaussian noise (sigma 0.02 per component, renormalized) and the paragraph's text, so vectors cluster like real ones
 * without embedding 10,000 texts; queries are real XQuAD questions embedded by the same model.
 */
final class EmbedSuite implements BenchSuite {
    private static final int[] BATCH_SIZES = {1, 16, 32, 64};
    private static final int UPSERT_BATCH = 64;

    @Override
    public String name() {
        return "embed";
    }

    @Override
    public String description() {
        return "ONNX MiniLM chunks/s at batch 1/16/32/64 vs tokenizer only; Lucene upserts/s and hybrid p50/p95 at"
                + " 10k chunks vs bare IndexWriter and brute-force cosine";
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        Path corpus = corpus();
        List<String> paragraphs = readTexts(corpus.resolve("corpus.jsonl"));
        List<String> questions = readTexts(corpus.resolve("queries.jsonl"));
        List<Figure> figures = new ArrayList<>();
        int embedTexts = options.scaled(128);
        List<String> texts = cycle(paragraphs, embedTexts);
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.miniLmL6V2Quantized(2)) {
            model.embedDocuments(texts.subList(0, 16)); // warm-up
            texts.forEach(model::tokenCount);
            double tokenizerRate = rate(texts.size(), () -> texts.forEach(model::tokenCount));
            for (int batch : BATCH_SIZES) {
                double embedRate = rate(texts.size(), () -> {
                    for (int i = 0; i < texts.size(); i += batch) {
                        model.embedDocuments(texts.subList(i, Math.min(texts.size(), i + batch)));
                    }
                });
                figures.add(new Figure(
                        name(),
                        "onnx embed batch " + batch,
                        "chunks/s",
                        embedRate,
                        "tokenizer only",
                        tokenizerRate,
                        true));
            }

            List<float[]> paragraphVectors = new ArrayList<>();
            for (int i = 0; i < paragraphs.size(); i += 32) {
                model.embedDocuments(paragraphs.subList(i, Math.min(paragraphs.size(), i + 32)))
                        .forEach(e -> paragraphVectors.add(e.vector()));
            }
            List<float[]> queryVectors = new ArrayList<>();
            List<String> queryTexts = cycle(questions, options.scaled(300));
            for (String q : queryTexts) {
                queryVectors.add(model.embedQuery(q).vector());
            }
            figures.addAll(index(options, paragraphs, paragraphVectors, queryTexts, queryVectors));
        }
        return figures;
    }

    private List<Figure> index(
            BenchOptions options,
            List<String> paragraphs,
            List<float[]> paragraphVectors,
            List<String> queryTexts,
            List<float[]> queryVectors)
            throws Exception {
        int chunks = options.scaled(10_000);
        Random random = new Random(42);
        List<IndexPoint> points = new ArrayList<>(chunks);
        Instant day = Instant.parse("2026-03-02T10:00:00Z");
        for (int i = 0; i < chunks; i++) {
            int p = i % paragraphs.size();
            float[] v = paragraphVectors.get(p).clone();
            for (int d = 0; d < v.length; d++) {
                v[d] += (float) (random.nextGaussian() * 0.02);
            }
            String id = HexFormat.of().toHexDigits((long) i) + "00000000";
            points.add(new IndexPoint(
                    "chk_" + id,
                    new DocId("doc_" + HexFormat.of().toHexDigits((long) (i / 10)) + "00000000"),
                    i % 3 == 0 ? "contract" : "other",
                    1,
                    day.plusSeconds(3600L * (i % 240)),
                    Vectors.l2Normalized(v),
                    paragraphs.get(p)));
        }

        double bareRate = rate(chunks, () -> bareLucene(options.workDir().resolve("bare"), points));
        String label = (chunks / 1000) + "k";
        IndexNamespace namespace = IndexNamespace.first(TenantId.of("bench-tenant"));
        try (LuceneVectorIndex index = new LuceneVectorIndex(options.workDir().resolve("lucene"))) {
            index.create(namespace, paragraphVectors.getFirst().length);
            double upsertRate = rate(chunks, () -> {
                for (int i = 0; i < points.size(); i += UPSERT_BATCH) {
                    index.upsert(namespace, points.subList(i, Math.min(points.size(), i + UPSERT_BATCH)));
                }
            });
            for (int i = 0; i < Math.min(50, queryVectors.size()); i++) {
                index.search(namespace, SearchRequest.hybrid(queryVectors.get(i), queryTexts.get(i), 10));
            }
            double[] hybrid = new double[queryVectors.size()];
            double[] scan = new double[queryVectors.size()];
            for (int i = 0; i < queryVectors.size(); i++) {
                long started = System.nanoTime();
                index.search(namespace, SearchRequest.hybrid(queryVectors.get(i), queryTexts.get(i), 10));
                hybrid[i] = (System.nanoTime() - started) / 1e6;
                started = System.nanoTime();
                bruteForceTop10(points, queryVectors.get(i));
                scan[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(hybrid);
            Arrays.sort(scan);
            return List.of(
                    new Figure(
                            name(),
                            "lucene upsert " + label + " (b64)",
                            "chunks/s",
                            upsertRate,
                            "bare IndexWriter, 1 commit",
                            bareRate,
                            true),
                    new Figure(
                            name(),
                            "hybrid query p50 @" + label,
                            "ms",
                            percentile(hybrid, 0.50),
                            "brute-force cosine p50",
                            percentile(scan, 0.50),
                            false),
                    new Figure(
                            name(),
                            "hybrid query p95 @" + label,
                            "ms",
                            percentile(hybrid, 0.95),
                            "brute-force cosine p95",
                            percentile(scan, 0.95),
                            false));
        }
    }

    private static void bareLucene(Path dir, List<IndexPoint> points) throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir);
                IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig().setRAMBufferSizeMB(64))) {
            for (IndexPoint p : points) {
                Document doc = new Document();
                doc.add(new StringField("chunk_id", p.chunkId(), Field.Store.YES));
                doc.add(new KnnFloatVectorField("vector", p.vector(), VectorSimilarityFunction.COSINE));
                doc.add(new TextField("text", p.text(), Field.Store.NO));
                writer.addDocument(doc);
            }
            writer.commit();
        }
    }

    private static int[] bruteForceTop10(List<IndexPoint> points, float[] query) {
        int[] top = new int[10];
        double[] scores = new double[10];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < points.size(); i++) {
            double s = Vectors.dot(points.get(i).vector(), query);
            if (s > scores[9]) {
                int j = 9;
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

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double rate(int operations, Work work) throws Exception {
        long started = System.nanoTime();
        work.run();
        return operations / ((System.nanoTime() - started) / 1e9);
    }

    private static List<String> cycle(List<String> texts, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(texts.get(i % texts.size()));
        }
        return out;
    }

    /** The XQuAD BEIR files of the shared corpus ({@link CorpusLocation}). */
    private static Path corpus() {
        Path beir = CorpusLocation.root().resolve("retrieval-xquad-en/beir-format");
        if (!Files.isRegularFile(beir.resolve("corpus.jsonl"))) {
            throw new IllegalStateException("retrieval-xquad-en/beir-format/corpus.jsonl is missing from the corpus");
        }
        return beir;
    }

    private static List<String> readTexts(Path jsonl) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(jsonl)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode node = mapper.readTree(line);
                texts.add(node.get("text").asText());
            }
        }
        return List.copyOf(texts);
    }
}
