package io.frostbyte.server.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.StoredPoint;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.IndexGeneration;
import io.frostbyte.postgres.PostgresIndexGenerations;
import io.frostbyte.postgres.PostgresIndexedChunks;
import io.frostbyte.postgres.PostgresIndexedChunks.ChunkSource;
import io.frostbyte.postgres.PostgresIndexedChunks.ChunkState;
import io.frostbyte.postgres.PostgresIndexedChunks.Reembedded;
import io.frostbyte.postgres.PostgresTenantRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a tenant's vector index into a new generation (spec/04 §4.5 EMB-7): records generation n+1 as building,
 * re-embeds every indexed chunk from the tenant database with the chosen profile in batches into the new namespace,
 * verifies counts and vector hashes, switches atomically and drops generation n. Queries and the pipeline keep using
 * generation n until the switch. One rebuild per tenant at a time (409 otherwise); it runs on a thread of its own and
 * reports progress on its generation record.
 *
 * <p><b>Documents arriving during a rebuild are not lost.</b> The pipeline keeps writing generation n while n+1 is
 * built. The rebuild remembers, per document, which chunk ids and source vector hashes it wrote, and runs catch-up
 * passes that redo every document whose embedded chunks changed (new, reprocessed, deleted). For the last pass it
 * fences the tenant's pipeline with the embedding halt (no embed or index job of the tenant is claimed, spec/04 EMB-2)
 * and waits for the tenant's running embed and index jobs: nothing changes any more, so the last pass is complete. It
 * then also re-embeds chunks that are embedded but still wait for their index job, so that job writes vectors of the
 * new profile into the new generation. The fence is lifted after the switch (and kept if the tenant was already
 * halted).
 *
 * <p>Logs and audit hold ids, counts and hashes only.
 */
public final class IndexRebuilder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexRebuilder.class);
    private static final String COMPONENT = "index-writer";

    /**
     * @param batchSize chunks per embedding call (capped by the model's own maximum)
     * @param catchUpPasses unfenced passes after the first one, stopping early when one finds nothing new
     * @param fenceTimeout longest wait for the tenant's running embed and index jobs
     * @param settle wait between the switch and dropping the old generation, so that every node's cached generation
     *     has expired
     */
    public record Settings(int batchSize, int catchUpPasses, Duration fenceTimeout, Duration settle) {
        public Settings {
            if (batchSize < 1 || batchSize > 1024) {
                throw new IllegalArgumentException("batchSize must be in [1, 1024]: " + batchSize);
            }
            if (catchUpPasses < 0 || catchUpPasses > 10) {
                throw new IllegalArgumentException("catchUpPasses must be in [0, 10]: " + catchUpPasses);
            }
            requireNonNull(fenceTimeout, "fenceTimeout is null");
            requireNonNull(settle, "settle is null");
        }
    }

    private final PostgresIndexGenerations store;
    private final CachedIndexGenerations generations;
    private final EmbeddingProfiles profiles;
    private final VectorIndex index;
    private final PostgresIndexedChunks chunks;
    private final PostgresTenantRegistry registry;
    private final Function<TenantId, Optional<TenantRecord>> tenants;
    private final AuditLog audit;
    private final Database control;
    private final Clock clock;
    private final Settings settings;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    public IndexRebuilder(
            PostgresIndexGenerations store,
            CachedIndexGenerations generations,
            EmbeddingProfiles profiles,
            VectorIndex index,
            PostgresIndexedChunks chunks,
            PostgresTenantRegistry registry,
            Function<TenantId, Optional<TenantRecord>> tenants,
            AuditLog audit,
            Database control,
            Clock clock,
            Settings settings) {
        this.store = requireNonNull(store, "store is null");
        this.generations = requireNonNull(generations, "generations is null");
        this.profiles = requireNonNull(profiles, "profiles is null");
        this.index = requireNonNull(index, "index is null");
        this.chunks = requireNonNull(chunks, "chunks is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.control = requireNonNull(control, "control is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * Starts a rebuild of the tenant's index with {@code profile} (the deployment's when empty) and returns the
     * generation being built; the work continues on a thread of its own.
     *
     * @param actor {@code system} or {@code user:<sub>}
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unknown tenant, {@code VALIDATION_ERROR} for a
     *     profile this deployment cannot run, {@code INVALID_STATE_TRANSITION} when the tenant is not ACTIVE, {@code
     *     RESOURCE_NOT_READY} while another rebuild of the tenant runs
     */
    public IndexGeneration start(TenantId tenantId, Optional<String> profile, String reason, String actor) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(actor, "actor is null");
        TenantRecord tenant = tenants.apply(tenantId)
                .filter(found -> !found.tenantId().isPlatform())
                .orElseThrow(() -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "Tenant not found."));
        String name = profile.orElse(profiles.deploymentProfile());
        EmbeddingModel model = profiles.require(name);
        if (tenant.state() != TenantState.ACTIVE) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION, "The index is rebuilt only for ACTIVE tenants.");
        }
        PostgresIndexGenerations.BuildStart start = store.startBuilding(
                tenantId, profiles.indexProfile(name), profiles.indexProfile(profiles.deploymentProfile()));
        start.abandoned().ifPresent(abandoned -> index.drop(namespace(abandoned)));
        Build build = new Build(start.current(), start.building(), model, sha256(reason), actor);
        Thread thread = Thread.ofPlatform()
                .name("index-rebuild-" + tenantId.value() + "-g"
                        + start.building().generation())
                .daemon()
                .unstarted(() -> {
                    try {
                        build.run();
                    } finally {
                        running.remove(Thread.currentThread());
                    }
                });
        running.add(thread);
        thread.start();
        return start.building();
    }

    /** Interrupts running rebuilds and waits for them to record their failure. */
    @Override
    public void close() {
        for (Thread thread : List.copyOf(running)) {
            thread.interrupt();
        }
        for (Thread thread : List.copyOf(running)) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static IndexNamespace namespace(IndexGeneration generation) {
        return new IndexNamespace(generation.tenantId(), generation.generation());
    }

    /** What the new generation holds of one chunk. */
    private record Written(
            String sourceSha256, Optional<String> classification, String vectorSha256, boolean truncated) {}

    /** One rebuild, on its own thread. */
    private final class Build {
        private final IndexGeneration previous;
        private final IndexGeneration target;
        private final TenantId tenantId;
        private final IndexNamespace namespace;
        private final EmbeddingModel model;
        private final String reasonSha256;
        private final String actor;
        /** doc id → chunk id → what the new generation holds. */
        private final Map<String, Map<String, Written>> written = new TreeMap<>();
        /** Chunks embedded but not yet indexed, re-embedded in the fenced pass: chunk id → new vector. */
        private final Map<String, Reembedded> pending = new LinkedHashMap<>();

        private long total;
        private long done;
        private long lastProgressNanos;
        private boolean fenced;
        private boolean switched;

        Build(
                IndexGeneration previous,
                IndexGeneration target,
                EmbeddingModel model,
                String reasonSha256,
                String actor) {
            this.previous = previous;
            this.target = target;
            this.tenantId = target.tenantId();
            this.namespace = namespace(target);
            this.model = model;
            this.reasonSha256 = reasonSha256;
            this.actor = actor;
        }

        void run() {
            long started = System.nanoTime();
            LOG.info("index rebuild of {} started: g{} -> g{}", tenantId, previous.generation(), target.generation());
            try {
                index.create(namespace, model.dimension());
                pass(false);
                for (int i = 0; i < settings.catchUpPasses() && pass(false) > 0; i++) {
                    // documents indexed while the pass ran are picked up by the next one
                }
                fence();
                pass(true);
                long points = verifyCounts();
                switchOver(points);
                LOG.info(
                        "index rebuild of {} done: g{} current, {} chunks, {} ms",
                        tenantId,
                        target.generation(),
                        points,
                        (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException | Error e) {
                if (switched) {
                    // the new generation is current: never drop it
                    LOG.error("index rebuild of {} failed after the switch to g{}", tenantId, target.generation());
                    return;
                }
                String code = e instanceof FrostbyteException f ? f.code().name() : ErrorCode.INTERNAL_ERROR.name();
                LOG.warn("index rebuild of {} to g{} failed: {}", tenantId, target.generation(), code);
                failed(code);
            } finally {
                unfence();
            }
        }

        /**
         * Brings the new generation up to the tenant's indexed chunks: redoes every document whose chunk ids or
         * source vectors changed since it was written, removes documents that are gone.
         *
         * @return documents redone or removed
         */
        private int pass(boolean last) {
            interrupted();
            List<ChunkState> states = chunks.states(tenantId);
            Map<String, Map<String, ChunkState>> indexed = new TreeMap<>();
            List<ChunkState> waiting = new ArrayList<>();
            for (ChunkState state : states) {
                if (state.indexed()) {
                    indexed.computeIfAbsent(state.docId(), id -> new TreeMap<>())
                            .put(state.chunkId(), state);
                } else {
                    waiting.add(state);
                }
            }
            total = indexed.values().stream().mapToLong(Map::size).sum();
            int changed = 0;
            for (Map.Entry<String, Map<String, ChunkState>> doc : indexed.entrySet()) {
                if (!sameChunks(written.get(doc.getKey()), doc.getValue())) {
                    rebuildDocument(doc.getKey(), List.copyOf(doc.getValue().keySet()));
                    changed++;
                }
            }
            for (String docId : List.copyOf(written.keySet())) {
                if (!indexed.containsKey(docId)) {
                    index.deleteDocument(namespace, new DocId(docId));
                    written.remove(docId);
                    changed++;
                }
            }
            if (last) {
                reembedWaiting(waiting);
            }
            done = written.values().stream().mapToLong(Map::size).sum();
            store.progress(tenantId, target.generation(), done, total);
            return changed;
        }

        /** Whether the new generation holds the document's chunks as they are now: same ids, vectors and labels. */
        private boolean sameChunks(Map<String, Written> have, Map<String, ChunkState> now) {
            if (have == null || !have.keySet().equals(now.keySet())) {
                return false;
            }
            for (ChunkState chunk : now.values()) {
                Written written = have.get(chunk.chunkId());
                if (!written.sourceSha256().equals(chunk.vectorSha256())
                        || !written.classification().equals(chunk.classification())) {
                    return false;
                }
            }
            return true;
        }

        private void rebuildDocument(String docId, List<String> chunkIds) {
            List<ChunkSource> sources = new ArrayList<>(chunks.sources(tenantId, chunkIds));
            sources.sort(java.util.Comparator.comparing(ChunkSource::chunkId));
            List<IndexPoint> points = new ArrayList<>();
            Map<String, Written> holds = new TreeMap<>();
            for (Embedded embedded : embed(sources)) {
                ChunkSource source = embedded.source();
                points.add(new IndexPoint(
                        source.chunkId(),
                        new DocId(docId),
                        source.classification().orElse("other"),
                        source.page(),
                        source.ingestedAt(),
                        embedded.vector(),
                        source.text()));
                holds.put(
                        source.chunkId(),
                        new Written(
                                source.vectorSha256(),
                                source.classification(),
                                Vectors.sha256Hex(embedded.vector()),
                                embedded.truncated()));
            }
            index.deleteDocument(namespace, new DocId(docId));
            for (int from = 0; from < points.size(); from += VectorIndex.MAX_BATCH) {
                index.upsert(namespace, points.subList(from, Math.min(points.size(), from + VectorIndex.MAX_BATCH)));
            }
            if (holds.isEmpty()) {
                written.remove(docId);
            } else {
                written.put(docId, holds);
            }
            done = written.values().stream().mapToLong(Map::size).sum();
            if (System.nanoTime() - lastProgressNanos > 500_000_000L) {
                lastProgressNanos = System.nanoTime();
                store.progress(tenantId, target.generation(), done, Math.max(done, total));
            }
        }

        private void reembedWaiting(List<ChunkState> waiting) {
            pending.clear();
            List<String> ids = waiting.stream().map(ChunkState::chunkId).toList();
            for (int from = 0; from < ids.size(); from += VectorIndex.MAX_BATCH) {
                List<ChunkSource> sources =
                        chunks.sources(tenantId, ids.subList(from, Math.min(ids.size(), from + VectorIndex.MAX_BATCH)));
                for (Embedded embedded : embed(sources)) {
                    pending.put(
                            embedded.source().chunkId(),
                            new Reembedded(
                                    embedded.source().chunkId(),
                                    embedded.vector(),
                                    Vectors.sha256Hex(embedded.vector()),
                                    embedded.truncated(),
                                    embedded.source().vectorSha256(),
                                    false));
                }
            }
        }

        private record Embedded(ChunkSource source, float[] vector, boolean truncated) {}

        private List<Embedded> embed(List<ChunkSource> sources) {
            List<Embedded> result = new ArrayList<>();
            int batch = Math.min(settings.batchSize(), model.maxBatchSize());
            for (int from = 0; from < sources.size(); from += batch) {
                interrupted();
                List<ChunkSource> slice = sources.subList(from, Math.min(sources.size(), from + batch));
                List<Embedding> embeddings = model.embedDocuments(
                        slice.stream().map(ChunkSource::text).toList());
                for (int i = 0; i < slice.size(); i++) {
                    float[] vector = embeddings.get(i).vector();
                    // EMB-1: the new generation's dimension, before anything is written
                    Vectors.requireUsable(vector, target.profile().dimensions());
                    result.add(
                            new Embedded(slice.get(i), vector, embeddings.get(i).truncated()));
                }
            }
            return result;
        }

        /** Stops the tenant's embed and index jobs from being claimed and waits for the running ones. */
        private void fence() {
            boolean halted = registry.find(tenantId)
                    .orElseThrow(() -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "tenant is gone"))
                    .embeddingHalted();
            if (!halted) {
                registry.setEmbeddingHalted(tenantId, true);
                fenced = true;
            }
            long deadline = System.nanoTime() + settings.fenceTimeout().toNanos();
            while (store.pipelineJobsInFlight(tenantId) > 0) {
                if (System.nanoTime() > deadline) {
                    throw new FrostbyteException(
                            ErrorCode.RESOURCE_NOT_READY, "embed and index jobs of " + tenantId + " did not finish");
                }
                sleep(Duration.ofMillis(100));
            }
        }

        private void unfence() {
            if (fenced) {
                try {
                    registry.setEmbeddingHalted(tenantId, false);
                    fenced = false;
                } catch (RuntimeException e) {
                    LOG.error("index rebuild of {} could not lift the embedding halt; resume it by hand", tenantId);
                }
            }
        }

        /** Points in the new generation = chunks written = indexed chunks of the tenant (nothing changes any more). */
        private long verifyCounts() {
            long points = index.count(namespace);
            long expected = total;
            if (points != done || done != expected) {
                throw new FrostbyteException(
                        ErrorCode.INDEX_FAILED,
                        "generation " + target.generation() + " of " + tenantId + " holds " + points + " points, "
                                + done + " written, " + expected + " chunks indexed");
            }
            return points;
        }

        private void switchOver(long points) {
            List<Reembedded> rows = new ArrayList<>();
            for (Map<String, Written> doc : written.values()) {
                List<String> ids = List.copyOf(doc.keySet());
                for (int from = 0; from < ids.size(); from += VectorIndex.MAX_BATCH) {
                    List<StoredPoint> stored = index.fetch(
                            namespace, ids.subList(from, Math.min(ids.size(), from + VectorIndex.MAX_BATCH)));
                    for (StoredPoint point : stored) {
                        Written chunk = doc.get(point.chunkId());
                        float[] vector = point.vector();
                        if (!Vectors.sha256Hex(vector).equals(chunk.vectorSha256())) {
                            throw new FrostbyteException(
                                    ErrorCode.INDEX_FAILED,
                                    "a point of " + namespace + " does not read back as written");
                        }
                        rows.add(new Reembedded(
                                point.chunkId(),
                                vector,
                                chunk.vectorSha256(),
                                chunk.truncated(),
                                chunk.sourceSha256(),
                                true));
                    }
                }
            }
            if (rows.size() != points) {
                throw new FrostbyteException(
                        ErrorCode.INDEX_FAILED, rows.size() + " points of " + namespace + " read back, " + points);
            }
            rows.addAll(pending.values());
            chunks.switchVectors(
                    tenantId,
                    rows,
                    model.modelId(),
                    model.version(),
                    model.dimension(),
                    target.indexVersion(),
                    clock.instant());
            long recorded = chunks.countIndexed(tenantId, target.indexVersion());
            if (recorded != points) {
                throw new FrostbyteException(
                        ErrorCode.INDEX_FAILED,
                        recorded + " chunk rows of " + tenantId + " name " + target.indexVersion() + ", " + points
                                + " points");
            }
            control.inTransaction(connection -> {
                store.switchTo(connection, tenantId, target.generation());
                audit.append(connection, event("success", points, Optional.empty()));
                return null;
            });
            switched = true;
            generations.invalidate(tenantId);
            // other nodes read the switch within their cache ttl; only then is the old generation unused
            sleepQuietly(settings.settle());
            try {
                index.drop(namespace(previous));
            } catch (RuntimeException e) {
                LOG.error("index rebuild of {} could not drop g{}; drop it by hand", tenantId, previous.generation());
            }
        }

        private void failed(String code) {
            try {
                index.drop(namespace);
            } catch (RuntimeException e) {
                LOG.warn("index rebuild of {} could not drop g{}", tenantId, target.generation());
            }
            try {
                store.fail(tenantId, target.generation(), code);
                control.inTransaction(
                        connection -> audit.append(connection, event("failure", done, Optional.of(code))));
            } catch (RuntimeException e) {
                LOG.error("index rebuild of {} could not record its failure", tenantId);
            }
        }

        private AuditEventDraft event(String status, long chunkCount, Optional<String> errorCode) {
            SortedMap<String, Object> details = new TreeMap<>();
            details.put("component", COMPONENT);
            details.put("status", status);
            details.put("previous_generation", (long) previous.generation());
            details.put("target_generation", (long) target.generation());
            details.put("previous_index_version", previous.indexVersion());
            details.put("index_version", target.indexVersion());
            details.put("embedding_profile", target.profile().profile());
            details.put("embed_model", target.profile().embedModel());
            details.put("embed_version", target.profile().embedVersion());
            details.put("dimensions", (long) target.profile().dimensions());
            details.put("chunk_count", chunkCount);
            details.put("document_count", (long) written.size());
            details.put("reason_sha256", reasonSha256);
            errorCode.ifPresent(code -> details.put("error_code", code));
            return new AuditEventDraft(
                    tenantId, EventType.INDEX_REBUILT, actor, "tenant", tenantId.value(), Optional.empty(), details);
        }

        private void interrupted() {
            if (Thread.currentThread().isInterrupted()) {
                throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "index rebuild interrupted");
            }
        }

        private void sleep(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "index rebuild interrupted");
            }
        }

        private void sleepQuietly(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
