package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.document.CanonicalJson;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.PostgresTenantDocuments.DocumentRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The index stage (spec/04): writes the document's embedded chunks to the tenant's index (its namespace created with
 * the model's dimension on first use), replacing any earlier points of the document, then commits INDEX_WRITTEN
 * (vector set → index confirmation) and the file's {@code indexed} status. Upserts by chunk id, so reruns duplicate
 * nothing.
 */
public final class IndexStage implements JobHandler {
    static final String COMPONENT = "index-worker";

    private final StageContext context;
    private final VectorIndex index;
    private final int dimension;
    private final String indexVersion;

    IndexStage(StageContext context, VectorIndex index, int dimension, String indexVersion) {
        this.context = requireNonNull(context, "context is null");
        this.index = requireNonNull(index, "index is null");
        this.dimension = dimension;
        this.indexVersion = requireNonNull(indexVersion, "indexVersion is null");
    }

    @Override
    public void handle(Job job) {
        long started = System.nanoTime();
        TenantId tenantId = job.tenantId();
        String docId = job.resourceId();
        context.processing(tenantId, docId, PipelineStage.INDEX);
        DocumentRow document = context.documents().find(tenantId, docId).orElseThrow();
        IndexNamespace namespace = IndexNamespace.first(tenantId);
        if (!index.exists(namespace)) {
            index.create(namespace, dimension);
        }
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
            index.deleteDocument(namespace, new DocId(docId));
            if (!points.isEmpty()) {
                index.upsert(namespace, points);
            }
        } catch (RuntimeException e) {
            boolean retriable = e instanceof io.frostbyte.core.FrostbyteException frostbyte
                    && frostbyte.code().retriable();
            if (!retriable || StageContext.lastAttempt(job)) {
                context.control().inTransaction(connection -> {
                    context.failed(
                            connection,
                            job,
                            PipelineStage.INDEX,
                            io.frostbyte.core.ErrorCode.INDEX_FAILED,
                            "The index write failed.");
                    return null;
                });
            }
            throw retriable
                    ? e
                    : new io.frostbyte.core.FrostbyteException(
                            io.frostbyte.core.ErrorCode.INDEX_FAILED, "index write failed", e);
        }
        context.store().indexed(tenantId, docId, indexVersion, context.clock().instant());
        Map<String, Object> confirmation = new TreeMap<>();
        confirmation.put("index_version", indexVersion);
        confirmation.put("chunk_ids", chunks.stream().map(ChunkRow::chunkId).toList());
        confirmation.put(
                "vector_sha256s",
                chunks.stream().map(chunk -> chunk.vectorSha256().orElse("")).toList());
        String confirmationHash = StageContext.sha256(CanonicalJson.write(confirmation));
        context.control().inTransaction(connection -> {
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
            context.batches()
                    .stageChanged(
                            connection, tenantId, docId, PipelineStage.INDEX, StageState.COMPLETED, Optional.empty());
            context.jobs().complete(connection, job);
            return null;
        });
    }
}
