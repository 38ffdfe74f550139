package io.frostbyte.server.pipeline;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.DocumentParser;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.job.Stage;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.policy.DocumentClassifier;
import io.frostbyte.policy.PrototypeClassifier;
import io.frostbyte.policy.RuleClassifier;
import io.frostbyte.policy.TextEmbedder;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresBatches;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.postgres.PostgresJobQueue;
import io.frostbyte.postgres.PostgresTenantDocuments;
import io.frostbyte.postgres.audit.PostgresAuditLog;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Builds the four document stages (parse → policy → embed → index) from their parts, for the worker pool. */
public final class Pipeline {
    /**
     * Bytes of {@code structured.json} whose parsed documents may wait in memory for their policy stage: dozens of
     * ordinary documents; one larger than a quarter of it is read back instead.
     */
    static final long DOCUMENT_HANDOFF_BYTES = 32L << 20;

    private Pipeline() {}

    /** The stage handlers, keyed by stage. */
    public static Map<Stage, JobHandler> handlers(
            ObjectStore objects,
            PostgresTenantDocuments documents,
            PostgresDocumentStore store,
            PostgresBatches batches,
            PostgresAuditLog audit,
            PostgresJobQueue jobs,
            Database control,
            Function<TenantId, Optional<TenantRecord>> tenants,
            Clock clock,
            String pipelineVersion,
            DocumentParser parser,
            ParseLimits limits,
            EmbeddingModel model,
            VectorIndex index,
            java.util.concurrent.ExecutorService cpu,
            io.frostbyte.postgres.PostgresTenantRegistry registry,
            io.micrometer.core.instrument.MeterRegistry meters,
            io.frostbyte.server.index.IndexGenerations generations) {
        StageContext context = new StageContext(
                objects, documents, store, batches, audit, jobs, control, tenants, clock, pipelineVersion);
        DocumentClassifier classifier = new DocumentClassifier(
                new RuleClassifier(),
                new PrototypeClassifier(
                        TextEmbedder.of(model),
                        model.modelId() + "@" + model.version(),
                        PrototypeClassifier.defaultDescriptions()));
        CpuWork work = new CpuWork(cpu);
        // what a stage made for the next stage of the same document on this node (see Handoff): parsed documents by
        // the bytes of their structured.json, classifier vectors one each
        Handoff<CanonicalDocument> parsedDocuments = new Handoff<>(DOCUMENT_HANDOFF_BYTES);
        Handoff<EmbedStage.HeldVector> vectors = new Handoff<>(EmbedStage.HeldVector.CAPACITY);
        Map<Stage, JobHandler> handlers = new EnumMap<>(Stage.class);
        // parse, policy and embed run their I/O on the job's virtual thread and only their computing on the CPU pool;
        // index writes run on the job's thread (see IndexStage)
        handlers.put(
                Stage.PARSE,
                new ParseStage(context, parser, limits, PolicyStage.VERSION, work, parsedDocuments, meters));
        handlers.put(
                Stage.POLICY,
                new PolicyStage(
                        context,
                        parser,
                        limits,
                        classifier,
                        new io.frostbyte.postgres.PostgresReviews(control.dataSource()),
                        work,
                        model,
                        parsedDocuments,
                        vectors,
                        meters));
        handlers.put(
                Stage.EMBED,
                new EmbedStage(
                        context,
                        generations,
                        index,
                        (connection, tenantId) -> registry.setEmbeddingHalted(connection, tenantId, true),
                        (result, count) -> io.micrometer.core.instrument.Counter.builder(
                                        "frostbyte.embed.dimension.assertions")
                                .description("Vector dimension assertions before index writes")
                                .tag("result", result)
                                .register(meters)
                                .increment(count),
                        work,
                        vectors,
                        (source, count) -> io.micrometer.core.instrument.Counter.builder("frostbyte.embed.vectors")
                                .description("Chunk vectors of embedded documents by where they came from: the"
                                        + " model, the tenant's embedding cache, or the policy stage's classifier")
                                .tag("source", source)
                                .register(meters)
                                .increment(count)));
        handlers.put(Stage.INDEX, new IndexStage(context, index, generations));
        return handlers;
    }

    /**
     * A pool of platform threads, one per core, for the stages' CPU-bound work. Worker-pool jobs run on virtual
     * threads, which are never preempted: parsing or embedding on them would starve the HTTP server's virtual threads
     * on a small machine. The job's virtual thread waits (unmounted) while a platform thread works, and the operating
     * system shares the cores fairly.
     */
    public static java.util.concurrent.ExecutorService cpuPool() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return java.util.concurrent.Executors.newFixedThreadPool(
                cores,
                runnable -> Thread.ofPlatform()
                        .name("pipeline-cpu-" + n.incrementAndGet())
                        .daemon()
                        .unstarted(runnable));
    }
}
