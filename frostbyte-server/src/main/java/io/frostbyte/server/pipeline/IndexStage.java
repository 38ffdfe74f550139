package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.StoredPoint;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.PostgresTenantDocuments.DocumentRow;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The index stage (spec/04 §4.4, the three-store write): checks that the document's {@code structured.json} is in the
 * object store with its parse-time hash, makes the document's embedded chunks its only points in the tenant's index (its
 * namespace created with the model's dimension on first use) in one commit, marks the chunk rows indexed, then reads
 * points and rows back and compares vectors, hashes and payloads. Any mismatch deletes the points and reverts the rows
 * (EMB-5) and fails the job for a retry; otherwise INDEX_WRITTEN (vector set → index confirmation), the file's {@code
 * indexed} status and the job's completion commit together. Points are keyed by chunk id, so reruns duplicate nothing.
 */
public final class IndexStage implements JobHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IndexStage.class);
    static final String COMPONENT = "index-worker";

    private final StageContext context;
    private final VectorIndex index;
    private final io.frostbyte.server.index.IndexGenerations generations;

    IndexStage(StageContext context, VectorIndex index, io.frostbyte.server.index.IndexGenerations generations) {
        this.context = requireNonNull(context, "context is null");
        this.index = requireNonNull(index, "index is null");
        this.generations = requireNonNull(generations, "generations is null");
    }

    @Override
    public void handle(Job job) {
        long started = System.nanoTime();
        TenantId tenantId = job.tenantId();
        String docId = job.resourceId();
        io.frostbyte.server.index.ActiveGeneration generation = generations.current(tenantId);
        IndexNamespace namespace = generation.namespace();
        int dimension = generation.dimension();
        String indexVersion = generation.indexVersion();
        if (!index.exists(namespace)) {
            index.create(namespace, dimension);
        }
        // announced before anything is read: a commit starting meanwhile waits a moment for this document to share it
        try (VectorIndex.WriteAnnouncement announcement = index.announceWrite(namespace)) {
            context.processing(tenantId, docId, PipelineStage.INDEX);
            DocumentRow document = context.documents().find(tenantId, docId).orElseThrow();
            write(job, started, tenantId, docId, document, namespace, indexVersion);
        }
    }

    private void write(
            Job job,
            long started,
            TenantId tenantId,
            String docId,
            DocumentRow document,
            IndexNamespace namespace,
            String indexVersion) {
        List<ChunkRow> chunks = context.store().chunks(tenantId, docId).stream()
                .filter(chunk -> !chunk.quarantined() && chunk.vector().isPresent())
                .sorted(Comparator.comparing(ChunkRow::chunkId))
                .toList();
        List<IndexPoint> points = new ArrayList<>();
        for (ChunkRow chunk : chunks) {
            points.add(new IndexPoint(
                    chunk.chunkId(),
                    new DocId(docId),
                    chunk.classification().orElse("other"),
                    chunk.page(),
                    document.ingestedAt(),
                    chunk.vector().get(),
                    chunk.text()));
        }
        try {
            // 1. object store: the canonical document the chunks came from is there, unchanged since parsing
            requireStructured(job, tenantId, docId);
            // 3 (and 5). vector index: the document's points become exactly this set, in one commit. This runs on
            // the job's own thread, not the CPU pool: a write is a few milliseconds of graph building and then a
            // commit that mostly waits on the disk, and index jobs running side by side share one commit (the Lucene
            // adapter's group commit) only if they are not held back by the pool
            int first = Math.min(points.size(), VectorIndex.MAX_BATCH);
            index.replaceDocument(namespace, new DocId(docId), points.subList(0, first));
            for (int from = first; from < points.size(); from += VectorIndex.MAX_BATCH) {
                index.upsert(namespace, points.subList(from, Math.min(points.size(), from + VectorIndex.MAX_BATCH)));
            }
        } catch (RuntimeException e) {
            throw failure(job, started, e);
        }
        // 2. tenant database: the rows are marked indexed
        context.store().indexed(tenantId, docId, indexVersion, context.clock().instant());
        // 4. verify: points and rows read back and compared; on any mismatch both writes are undone (EMB-5)
        List<IndexVerification.Mismatch> mismatches;
        try {
            List<StoredPoint> stored = new ArrayList<>();
            List<String> ids = points.stream().map(IndexPoint::chunkId).toList();
            for (int from = 0; from < ids.size(); from += VectorIndex.MAX_BATCH) {
                stored.addAll(index.fetch(
                        namespace, ids.subList(from, Math.min(ids.size(), from + VectorIndex.MAX_BATCH))));
            }
            mismatches = IndexVerification.check(
                    points,
                    context.store().chunks(tenantId, docId).stream()
                            .map(IndexVerification.RowState::of)
                            .toList(),
                    stored);
        } catch (RuntimeException e) {
            rollBack(tenantId, namespace, docId);
            throw failure(job, started, e);
        }
        if (!mismatches.isEmpty()) {
            rollBack(tenantId, namespace, docId);
            LOG.warn(
                    "index write of document {} (tenant {}) failed verification: {} mismatch(es), first {} of {}",
                    docId,
                    tenantId,
                    mismatches.size(),
                    mismatches.getFirst().kind(),
                    mismatches.getFirst().chunkId());
            throw failure(
                    job,
                    started,
                    new FrostbyteException(
                            ErrorCode.INDEX_FAILED, "index verification found " + mismatches.size() + " mismatch(es)"));
        }
        Map<String, Object> confirmation = new TreeMap<>();
        confirmation.put("index_version", indexVersion);
        confirmation.put("chunk_ids", chunks.stream().map(ChunkRow::chunkId).toList());
        confirmation.put(
                "vector_sha256s",
                chunks.stream().map(chunk -> chunk.vectorSha256().orElse("")).toList());
        String confirmationHash = StageContext.sha256(CanonicalJson.write(confirmation));
        context.inTransaction(connection -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("input_hash", "sha256:" + job.payload().getOrDefault("vector_set_sha256", ""));
            details.put("output_hash", "sha256:" + confirmationHash);
            details.put("index_version", indexVersion);
            details.put("chunk_count", points.size());
            context.event(
                    connection,
                    job,
                    EventType.INDEX_WRITTEN,
                    COMPONENT,
                    started,
                    "success",
                    StageContext.previous(job),
                    details);
            context.stageChanged(
                    connection, tenantId, docId, PipelineStage.INDEX, StageState.COMPLETED, Optional.empty());
            context.jobs().complete(connection, job);
            return null;
        });
    }

    /** Step 1 of the three-store write: {@code structured.json} exists and hashes to what the parse stage recorded. */
    private void requireStructured(Job job, TenantId tenantId, String docId) {
        String recorded = job.payload().get("structured_sha256");
        if (recorded == null) {
            return; // a job enqueued before the hash travelled with it; the policy stage checked it already
        }
        ObjectKey key = ObjectKey.normalized(docId);
        MessageDigest digest = StageContext.sha256Digest();
        try (InputStream in = context.objects().get(tenantId, key)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "structured.json could not be read", e);
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(recorded)) {
            throw new FrostbyteException(ErrorCode.INDEX_FAILED, "structured.json does not match its parse-time hash");
        }
    }

    /** Undoes steps 2 and 3 (spec/04 EMB-5): the document's points leave the index and its rows lose "indexed". */
    private void rollBack(TenantId tenantId, IndexNamespace namespace, String docId) {
        try {
            index.deleteDocument(namespace, new DocId(docId));
        } finally {
            context.store().unindexed(tenantId, docId, context.clock().instant());
        }
    }

    /**
     * The exception to fail the job with; on the last attempt, or for a failure no retry can mend, the file fails in its
     * batches first.
     */
    private RuntimeException failure(Job job, long started, RuntimeException e) {
        boolean retriable =
                e instanceof FrostbyteException frostbyte && frostbyte.code().retriable();
        if (!retriable || StageContext.lastAttempt(job)) {
            // spec/04 EMB-5: the file fails with INDEX_FAILED and EMBEDDING_FAILED records the stage (the job itself
            // goes to the dead letters when this exception fails it)
            context.inTransaction(connection -> {
                context.event(
                        connection,
                        job,
                        EventType.EMBEDDING_FAILED,
                        COMPONENT,
                        started,
                        "failure",
                        StageContext.previous(job),
                        Map.of(
                                "stage", "index",
                                "failure_reason", ErrorCode.INDEX_FAILED.name(),
                                "error_code", ErrorCode.INDEX_FAILED.name()));
                context.failed(connection, job, PipelineStage.INDEX, ErrorCode.INDEX_FAILED, "The index write failed.");
                return null;
            });
        }
        return retriable ? e : new FrostbyteException(ErrorCode.INDEX_FAILED, "index write failed", e);
    }
}
