package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.Stage;
import io.frostbyte.postgres.ChunkRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embed stage (spec/04): embeds the document's chunks that passed the policy gates (quarantined chunks never reach
 * the model) in batches, asserts every vector's dimension against the tenant index's fixed dimension before anything
 * is written (a mismatch writes nothing and is not retried), stores the vectors, then commits DOCUMENT_EMBEDDED (final
 * chunk set → vector set), the file's progress and the index job.
 */
public final class EmbedStage implements JobHandler {
    static final String COMPONENT = "embed-worker";

    private final StageContext context;
    private final io.frostbyte.server.index.IndexGenerations generations;
    private final VectorIndex index;
    private final HaltEmbedding halt;
    private final java.util.function.BiConsumer<String, Long> assertions;
    private final CpuWork cpu;
    private final Handoff<HeldVector> handoff;
    private final java.util.function.BiConsumer<String, Long> sources;

    /**
     * A vector the policy stage already had the model make for a document's chunk, held for that document's embed
     * stage. The prototype classifier embeds the first 2,000 characters of the text that passed the gates; when that
     * is the same model input as the first passed chunk (the chunk is the whole text, or both are cut to the model's
     * window at the same token: {@link EmbeddingModel#sameDocumentInput}), its vector is that chunk's vector, bit for
     * bit. It is used only by the model instance that made it.
     */
    record HeldVector(EmbeddingModel model, Embedding embedding) {
        /** Vectors held at most, one each: a few seconds of documents between their policy and embed stages. */
        static final int CAPACITY = 512;

        HeldVector {
            requireNonNull(model, "model is null");
            requireNonNull(embedding, "embedding is null");
        }

        /** The vector, when {@code user} is the model instance that made it. */
        Optional<Embedding> madeBy(EmbeddingModel user) {
            return model == user ? Optional.of(embedding) : Optional.empty();
        }
    }

    /** Halts a tenant's embedding inside the caller's transaction (spec/04 EMB-2). */
    @FunctionalInterface
    interface HaltEmbedding {
        void halt(java.sql.Connection transaction, TenantId tenantId);
    }

    /**
     * @param assertions counts dimension assertions by result ({@code pass}, {@code fail})
     * @param handoff vectors the policy stage's classifier already had the model make for a chunk
     * @param sources counts the vectors of embedded documents by where they came from ({@code model}, {@code cache},
     *     {@code classifier})
     */
    EmbedStage(
            StageContext context,
            io.frostbyte.server.index.IndexGenerations generations,
            VectorIndex index,
            HaltEmbedding halt,
            java.util.function.BiConsumer<String, Long> assertions,
            CpuWork cpu,
            Handoff<HeldVector> handoff,
            java.util.function.BiConsumer<String, Long> sources) {
        this.cpu = requireNonNull(cpu, "cpu is null");
        this.handoff = requireNonNull(handoff, "handoff is null");
        this.sources = requireNonNull(sources, "sources is null");
        this.halt = requireNonNull(halt, "halt is null");
        this.assertions = requireNonNull(assertions, "assertions is null");
        this.context = requireNonNull(context, "context is null");
        this.generations = requireNonNull(generations, "generations is null");
        this.index = requireNonNull(index, "index is null");
    }

    @Override
    public void handle(Job job) {
        long started = System.nanoTime();
        TenantId tenantId = job.tenantId();
        String docId = job.resourceId();
        context.processing(tenantId, docId, PipelineStage.EMBED);
        List<ChunkRow> chunks = context.store().chunks(tenantId, docId).stream()
                .filter(chunk -> !chunk.quarantined())
                .toList();
        io.frostbyte.server.index.ActiveGeneration generation = generations.current(tenantId);
        EmbeddingModel model = generation.model();
        int expected = index.dimension(generation.namespace()).orElse(generation.dimension());
        Map<String, float[]> vectors = new LinkedHashMap<>();
        Map<String, String> hashes = new HashMap<>();
        Map<String, Boolean> truncated = new HashMap<>();
        // the embedding cache (spec/04 §4.2): a text this tenant already embedded with this model and version is
        // not sent to the model again; the cached vector passes the same dimension assertion
        Map<String, Embedding> cached = context.store()
                .cachedVectors(
                        tenantId,
                        chunks.stream().map(ChunkRow::textSha256).collect(java.util.stream.Collectors.toSet()),
                        model.modelId(),
                        model.version());
        List<ChunkRow> missing = new ArrayList<>();
        Map<String, Embedding> made = new HashMap<>();
        int handedOverCount = 0;
        for (ChunkRow chunk : chunks) {
            if (!cached.containsKey(chunk.textSha256()) && !made.containsKey(chunk.textSha256())) {
                // the policy stage's classifier may already have had the model embed this very input
                Optional<Embedding> handedOver =
                        handoff.take(tenantId, docId, chunk.textSha256()).flatMap(held -> held.madeBy(model));
                if (handedOver.isPresent()) {
                    made.put(chunk.textSha256(), handedOver.get());
                    handedOverCount++;
                } else {
                    missing.add(chunk);
                    made.put(chunk.textSha256(), null);
                }
            }
        }
        try {
            for (int from = 0; from < missing.size(); from += model.maxBatchSize()) {
                List<ChunkRow> batch = missing.subList(from, Math.min(missing.size(), from + model.maxBatchSize()));
                List<String> texts = batch.stream().map(ChunkRow::text).toList();
                List<Embedding> embeddings = cpu.call(() -> model.embedDocuments(texts));
                for (int i = 0; i < batch.size(); i++) {
                    made.put(batch.get(i).textSha256(), embeddings.get(i));
                }
            }
            for (ChunkRow chunk : chunks) {
                Embedding embedding = cached.getOrDefault(chunk.textSha256(), made.get(chunk.textSha256()));
                float[] vector = embedding.vector();
                Vectors.requireUsable(vector, expected);
                vectors.put(chunk.chunkId(), vector);
                hashes.put(chunk.chunkId(), Vectors.sha256Hex(vector));
                truncated.put(chunk.chunkId(), embedding.truncated());
            }
        } catch (FrostbyteException e) {
            boolean dimension = e.code() == ErrorCode.DIMENSION_MISMATCH;
            if (dimension) {
                assertions.accept("fail", 1L);
            }
            if (dimension || StageContext.lastAttempt(job)) {
                context.inTransaction(connection -> {
                    if (dimension) {
                        // nothing of the document was written; no embed or index job of the tenant runs until an
                        // admin resumes embedding (spec/04 EMB-2)
                        halt.halt(connection, tenantId);
                    }
                    context.event(
                            connection,
                            job,
                            EventType.EMBEDDING_FAILED,
                            COMPONENT,
                            started,
                            "failure",
                            StageContext.previous(job),
                            Map.of(
                                    "failure_reason", e.code().name(),
                                    "error_code", e.code().name(),
                                    "embed_model", model.modelId(),
                                    "halted", dimension));
                    context.failed(connection, job, PipelineStage.EMBED, e.code(), "Embedding failed.");
                    return null;
                });
            }
            throw e;
        }
        assertions.accept("pass", (long) vectors.size());
        int cacheHits = chunks.size() - missing.size() - handedOverCount;
        sources.accept("model", (long) missing.size());
        sources.accept("cache", (long) cacheHits);
        sources.accept("classifier", (long) handedOverCount);
        context.store()
                .vectors(
                        tenantId,
                        docId,
                        vectors,
                        hashes,
                        truncated,
                        model.modelId(),
                        model.version(),
                        expected,
                        context.clock().instant());
        String vectorSet = vectorSetHash(hashes);
        context.inTransaction(connection -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("input_hash", "sha256:" + job.payload().getOrDefault("chunk_set_sha256", ""));
            details.put("output_hash", "sha256:" + vectorSet);
            details.put("embed_model", model.modelId());
            details.put("embed_version", model.version());
            details.put("dimensions", expected);
            details.put("chunk_count", vectors.size());
            details.put("cache_hits", cacheHits);
            details.put(
                    "truncated_chunks",
                    truncated.values().stream().filter(Boolean::booleanValue).count());
            StageContext.PendingEvent event = context.event(
                    connection,
                    job,
                    EventType.DOCUMENT_EMBEDDED,
                    COMPONENT,
                    started,
                    "success",
                    StageContext.previous(job),
                    details);
            context.stageChanged(
                    connection, tenantId, docId, PipelineStage.EMBED, StageState.COMPLETED, Optional.empty());
            Map<String, String> payload = new LinkedHashMap<>(job.payload());
            payload.put("previous_event_id", event.eventId().toString());
            payload.put("vector_set_sha256", vectorSet);
            context.jobs()
                    .enqueue(
                            connection,
                            new JobRequest(
                                    tenantId,
                                    Stage.INDEX,
                                    "document",
                                    docId,
                                    "index:" + docId + ":" + vectorSet,
                                    payload,
                                    Optional.of(job.dueAt())));
            context.jobs().complete(connection, job);
            return null;
        });
    }

    /** sha256 of the concatenated vector hashes in chunk-id order (spec/06 §6.3). */
    static String vectorSetHash(Map<String, String> hashes) {
        StringBuilder all = new StringBuilder();
        new ArrayList<>(hashes.keySet())
                .stream().sorted(Comparator.naturalOrder()).forEach(id -> all.append(hashes.get(id)));
        return StageContext.sha256(all.toString());
    }
}
