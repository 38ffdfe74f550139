package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.postgres.BatchFile;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresBatches;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.postgres.PostgresJobQueue;
import io.frostbyte.postgres.PostgresTenantDocuments;
import io.frostbyte.postgres.SqlWork;
import io.frostbyte.postgres.audit.PostgresAuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * What every pipeline stage shares: the stores, the audit log, the job queue, batch progress and the clock. Stages
 * write their outputs to the tenant's stores first, then commit their audit events, their batch progress, the next
 * stage's job and their own completion in one control-database transaction (spec/09 OPS-2a).
 *
 * <p>In a transaction of {@link #inTransaction}, stage events get their ids at once (the next job's payload and later
 * events name them) but are appended last, together: the tenant's audit chain lock, which serializes every stage of
 * every document of the tenant, is then held only for one insert and the commit.
 */
record StageContext(
        ObjectStore objects,
        PostgresTenantDocuments documents,
        PostgresDocumentStore store,
        PostgresBatches batches,
        PostgresAuditLog audit,
        PostgresJobQueue jobs,
        Database control,
        Function<TenantId, Optional<TenantRecord>> tenants,
        Clock clock,
        String pipelineVersion) {
    StageContext {
        requireNonNull(objects, "objects is null");
        requireNonNull(documents, "documents is null");
        requireNonNull(store, "store is null");
        requireNonNull(batches, "batches is null");
        requireNonNull(audit, "audit is null");
        requireNonNull(jobs, "jobs is null");
        requireNonNull(control, "control is null");
        requireNonNull(tenants, "tenants is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(pipelineVersion, "pipelineVersion is null");
    }

    /** Marks the stage as running for every open batch file of the document (its own small transaction). */
    void processing(TenantId tenantId, String docId, PipelineStage stage) {
        control.inTransaction(connection ->
                batches.stageChanged(connection, tenantId, docId, stage, StageState.PROCESSING, Optional.empty()));
    }

    TenantRecord tenant(TenantId tenantId) {
        return tenants.apply(tenantId)
                .orElseThrow(() -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "tenant not found"));
    }

    /** A stage event: its id (known before it is written) and what is written. */
    record PendingEvent(UUID eventId, AuditEventDraft draft) {
        PendingEvent {
            requireNonNull(eventId, "eventId is null");
            requireNonNull(draft, "draft is null");
        }
    }

    /** The events of the transaction this thread runs in {@link #inTransaction}, appended when its work returns. */
    private static final ThreadLocal<Deferred> DEFERRED = new ThreadLocal<>();

    private record Deferred(Connection connection, List<StageChange> changes, List<PendingEvent> events) {}

    private record StageChange(
            TenantId tenantId,
            String docId,
            PipelineStage stage,
            StageState state,
            Optional<BatchFile.FileError> error) {}

    /**
     * Runs the work in one control-database transaction. The batch progress it records with {@link #stageChanged} and
     * the stage events it records with {@link #event} are written, in their order, after the work and before the
     * commit: the batch rows' locks and then the tenant's audit chain lock, which every document of the batch or the
     * tenant waits for, are held for the fewest statements.
     */
    <T> T inTransaction(SqlWork<T> work) {
        requireNonNull(work, "work is null");
        return control.inTransaction(connection -> {
            Deferred outer = DEFERRED.get();
            Deferred deferred = new Deferred(connection, new ArrayList<>(), new ArrayList<>());
            DEFERRED.set(deferred);
            T result;
            try {
                result = work.run(connection);
            } finally {
                if (outer == null) {
                    DEFERRED.remove();
                } else {
                    DEFERRED.set(outer);
                }
            }
            for (StageChange change : deferred.changes()) {
                batches.stageChanged(
                        connection, change.tenantId(), change.docId(), change.stage(), change.state(), change.error());
            }
            if (!deferred.events().isEmpty()) {
                audit.appendAll(
                        connection,
                        deferred.events().stream().map(PendingEvent::draft).toList(),
                        deferred.events().stream().map(PendingEvent::eventId).toList());
            }
            return result;
        });
    }

    /**
     * Records a stage event with the common details (spec/06 §6.1): inside {@link #inTransaction} it is appended at
     * the end of the transaction, elsewhere at once.
     */
    PendingEvent event(
            Connection connection,
            Job job,
            EventType type,
            String component,
            long started,
            String status,
            Optional<UUID> previous,
            Map<String, Object> details) {
        SortedMap<String, Object> all = new TreeMap<>(details);
        all.put("component", component);
        all.put("pipeline_version", pipelineVersion);
        all.put("duration_ms", (System.nanoTime() - started) / 1_000_000);
        all.put("status", status);
        PendingEvent event = new PendingEvent(
                audit.nextEventId(),
                new AuditEventDraft(
                        job.tenantId(), type, AuditEventDraft.SYSTEM, "document", job.resourceId(), previous, all));
        Deferred deferred = DEFERRED.get();
        if (deferred != null && deferred.connection() == connection) {
            deferred.events().add(event);
        } else {
            audit.appendAll(connection, List.of(event.draft()), List.of(event.eventId()));
        }
        return event;
    }

    /**
     * Records that the document's stage reached a state in its open batch files: inside {@link #inTransaction} at the
     * end of the transaction, elsewhere at once.
     */
    void stageChanged(
            Connection connection,
            TenantId tenantId,
            String docId,
            PipelineStage stage,
            StageState state,
            Optional<BatchFile.FileError> error) {
        Deferred deferred = DEFERRED.get();
        if (deferred != null && deferred.connection() == connection) {
            deferred.changes().add(new StageChange(tenantId, docId, stage, state, error));
        } else {
            batches.stageChanged(connection, tenantId, docId, stage, state, error);
        }
    }

    /** A terminal failure of the stage: the file fails in its batches with a content-free error. */
    void failed(Connection connection, Job job, PipelineStage stage, ErrorCode code, String message) {
        stageChanged(
                connection,
                job.tenantId(),
                job.resourceId(),
                stage,
                StageState.FAILED,
                Optional.of(new BatchFile.FileError(stage, code.name(), message)));
    }

    static Optional<UUID> previous(Job job) {
        return Optional.ofNullable(job.payload().get("previous_event_id")).map(UUID::fromString);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    /** A fresh SHA-256 digest, for hashing a stream. */
    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether this attempt is the job's last one (the stage's retries are used up). */
    static boolean lastAttempt(Job job) {
        return job.attempt() >= job.stage().maxAttempts();
    }
}
