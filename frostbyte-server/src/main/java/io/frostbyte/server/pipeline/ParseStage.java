package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.CanonicalDocumentJson;
import io.frostbyte.core.document.DocumentParser;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.Stage;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.postgres.PostgresTenantDocuments.DocumentRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parse stage (spec/02): decrypts the raw object, parses it into the canonical document, stores {@code
 * normalized/{doc_id}/structured.json} encrypted, then commits DOCUMENT_PARSED (raw SHA-256 → structured.json
 * SHA-256, linked to DOCUMENT_INGESTED), the file's progress and the policy job. A document the parser cannot read
 * fails with its categorized code: DOCUMENT_PARSE_FAILED, the file {@code failed}, the job to dead letters (at once
 * for a document problem, after the retries for a timeout or an internal error). Idempotent: a rerun rewrites the same
 * bytes and the policy job's key makes it one job.
 */
public final class ParseStage implements JobHandler {
    static final String COMPONENT = "parse-worker";

    private final StageContext context;
    private final DocumentParser parser;
    private final ParseLimits limits;
    private final String policyKey;
    private final CpuWork cpu;
    private final Handoff<CanonicalDocument> documents;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    /**
     * @param policyKey the policy stage's idempotency-key suffix (policy version and tenant config version are added
     *     per job)
     * @param documents where a parsed document is left for the policy stage, by the SHA-256 of its {@code
     *     structured.json}, weighed in bytes of that JSON
     */
    ParseStage(
            StageContext context,
            DocumentParser parser,
            ParseLimits limits,
            String policyKey,
            CpuWork cpu,
            Handoff<CanonicalDocument> documents,
            io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = requireNonNull(meters, "meters is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.cpu = requireNonNull(cpu, "cpu is null");
        this.context = requireNonNull(context, "context is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.policyKey = requireNonNull(policyKey, "policyKey is null");
    }

    @Override
    public void handle(Job job) {
        long started = System.nanoTime();
        TenantId tenantId = job.tenantId();
        String docId = job.resourceId();
        DocumentRow document = context.documents()
                .find(tenantId, docId)
                .orElseThrow(() -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "document row is missing"));
        context.processing(tenantId, docId, PipelineStage.PARSE);
        long parsing = System.nanoTime();
        ParseOutcome outcome = cpu.call(() -> parse(tenantId, document, parser, limits, context));
        io.micrometer.core.instrument.Timer.builder("frostbyte.parse.duration")
                .description("Parse time per document by format, successful or not")
                .tag("tenant_id", tenantId.value())
                .tag(
                        "format",
                        io.frostbyte.core.intake.IntakeType.ofMimeType(document.mimeType())
                                .map(type -> type.name().toLowerCase(java.util.Locale.ROOT))
                                .orElse("other"))
                .serviceLevelObjectives(
                        java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(5),
                        java.time.Duration.ofSeconds(15),
                        java.time.Duration.ofSeconds(60),
                        java.time.Duration.ofSeconds(150),
                        java.time.Duration.ofSeconds(300))
                .register(meters)
                .record(java.time.Duration.ofNanos(System.nanoTime() - parsing));
        switch (outcome) {
            case ParseOutcome.Parsed parsed -> completed(job, document, parsed.document(), started);
            case ParseOutcome.Failed failed -> failed(job, document, failed, started);
        }
    }

    /** Parses the document's raw object (the policy stage too, when structured.json is missing). */
    static ParseOutcome parse(
            TenantId tenantId, DocumentRow document, DocumentParser parser, ParseLimits limits, StageContext context) {
        try (InputStream raw = context.objects().get(tenantId, ObjectKey.of(document.storagePath()))) {
            return parser.parse(tenantId, raw, document.mimeType(), limits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The canonical document the parse stage stored in {@code normalized/{doc_id}/structured.json}, read back (its
     * reading is the exact inverse of its writing), or empty when there is none; the policy stage uses it instead of
     * parsing the raw object a second time.
     */
    static Optional<CanonicalDocument> readStructured(TenantId tenantId, String docId, StageContext context) {
        return readStructuredBytes(tenantId, docId, context)
                .map(json -> CanonicalDocumentJson.read(new String(json, StandardCharsets.UTF_8)));
    }

    /** The bytes of {@code normalized/{doc_id}/structured.json}, decrypted, or empty when there is none. */
    static Optional<byte[]> readStructuredBytes(TenantId tenantId, String docId, StageContext context) {
        ObjectKey key = ObjectKey.normalized(docId);
        if (!context.objects().exists(tenantId, key)) {
            return Optional.empty();
        }
        try (InputStream json = context.objects().get(tenantId, key)) {
            return Optional.of(json.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void completed(Job job, DocumentRow document, CanonicalDocument parsed, long started) {
        byte[] json = CanonicalDocumentJson.write(parsed).getBytes(StandardCharsets.UTF_8);
        String structuredSha = StageContext.sha256(json);
        context.objects()
                .put(
                        job.tenantId(),
                        ObjectKey.normalized(job.resourceId()),
                        new ByteArrayInputStream(json),
                        json.length);
        // before the policy job exists: it may start on another thread the moment the transaction below commits
        documents.offer(job.tenantId(), job.resourceId(), structuredSha, parsed, json.length);
        context.store()
                .parsed(
                        job.tenantId(),
                        job.resourceId(),
                        structuredSha,
                        parsed.pages().size(),
                        context.clock().instant());
        int configVersion = context.tenant(job.tenantId()).configVersion();
        context.inTransaction(connection -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("input_hash", "sha256:" + document.rawSha256());
            details.put("output_hash", "sha256:" + structuredSha);
            details.put("parser_version", parser.name() + "/" + parser.version());
            details.put("page_count", parsed.stats().pageCount());
            details.put("block_count", parsed.stats().blockCount());
            details.put("table_count", parsed.stats().tableCount());
            details.put("ocr_pages", parsed.stats().ocrPages());
            details.put("low_ocr_pages", parsed.stats().lowOcrConfidencePages().size());
            StageContext.PendingEvent event = context.event(
                    connection,
                    job,
                    EventType.DOCUMENT_PARSED,
                    COMPONENT,
                    started,
                    "success",
                    StageContext.previous(job),
                    details);
            if (!parsed.stats().droppedContent().isEmpty()) {
                Map<String, Object> dropped = new LinkedHashMap<>();
                dropped.put(
                        "dropped",
                        parsed.stats().droppedContent().stream()
                                .map(content -> Map.<String, Object>of(
                                        "element_type", content.elementType(),
                                        "reason", content.reason(),
                                        "count", content.count()))
                                .toList());
                dropped.put(
                        "total",
                        parsed.stats().droppedContent().stream()
                                .mapToLong(content -> content.count())
                                .sum());
                context.event(
                        connection,
                        job,
                        EventType.CONTENT_DROPPED,
                        COMPONENT,
                        started,
                        "success",
                        Optional.of(event.eventId()),
                        dropped);
            }
            context.stageChanged(
                    connection,
                    job.tenantId(),
                    job.resourceId(),
                    PipelineStage.PARSE,
                    StageState.COMPLETED,
                    Optional.empty());
            Map<String, String> payload = new LinkedHashMap<>(job.payload());
            payload.put("previous_event_id", event.eventId().toString());
            payload.put("structured_sha256", structuredSha);
            context.jobs()
                    .enqueue(
                            connection,
                            new JobRequest(
                                    job.tenantId(),
                                    Stage.POLICY,
                                    "document",
                                    job.resourceId(),
                                    "policy:" + structuredSha + ":" + policyKey + ":config-" + configVersion,
                                    payload,
                                    Optional.of(job.dueAt())));
            context.jobs().complete(connection, job);
            return null;
        });
    }

    private void failed(Job job, DocumentRow document, ParseOutcome.Failed failure, long started) {
        boolean terminal = !failure.code().retriable() || StageContext.lastAttempt(job);
        if (terminal) {
            context.store()
                    .status(
                            job.tenantId(),
                            job.resourceId(),
                            "parse_failed",
                            context.clock().instant());
            context.inTransaction(connection -> {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("failure_reason", failure.code().name());
                details.put("retryable", failure.code().retriable());
                details.put("retry_count", job.attempt() - 1);
                details.put("parser_version", parser.name() + "/" + parser.version());
                details.put("input_hash", "sha256:" + document.rawSha256());
                context.event(
                        connection,
                        job,
                        EventType.DOCUMENT_PARSE_FAILED,
                        COMPONENT,
                        started,
                        "failure",
                        StageContext.previous(job),
                        details);
                context.failed(connection, job, PipelineStage.PARSE, failure.code(), failure.message());
                return null;
            });
        }
        throw new FrostbyteException(failure.code(), failure.message());
    }
}
