package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.intake.BatchStatus;
import io.frostbyte.core.intake.IntakeType;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.TenantStatus;
import io.frostbyte.postgres.BatchEvent;
import io.frostbyte.postgres.BatchFile;
import io.frostbyte.postgres.BatchView;
import io.frostbyte.postgres.PostgresBatches;
import io.frostbyte.server.auth.Principal;
import io.frostbyte.server.auth.TenantStateCache;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.http.RequestContext;
import io.frostbyte.server.http.Responses;
import io.frostbyte.server.intake.IntakeService;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/ingest/{tenant_id}} (spec/08 §8.3): batch upload, intake limits, batches, batch status, receipts and
 * the batch event stream (spec/01 §1.7–1.9).
 */
public final class IngestController {
    private static final Logger LOG = LoggerFactory.getLogger(IngestController.class);
    private static final Pattern BATCH_ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    /** Open event streams per tenant on one node (spec/01 INT-10). */
    public static final int MAX_STREAMS_PER_TENANT = 10;

    private final IntakeService intake;
    private final PostgresBatches batches;
    private final io.frostbyte.postgres.PostgresReports reports;
    private final Function<TenantId, Optional<TenantRecord>> tenants;
    private final TenantStateCache cache;
    private final int maxRequestGb;
    private final List<String> enabledTypes;
    private final Duration poll;
    private final Duration heartbeat;
    private final Duration maxStream;
    private final Map<TenantId, AtomicInteger> streams = new ConcurrentHashMap<>();

    /**
     * @param poll how often an event stream looks for new events and for revocation (at most 1 s: INT-10)
     * @param heartbeat the interval of {@code : hb} comments (15 s)
     * @param maxStream how long one stream stays open before the server closes it (the client reconnects with
     *     {@code Last-Event-ID})
     */
    public IngestController(
            IntakeService intake,
            PostgresBatches batches,
            io.frostbyte.postgres.PostgresReports reports,
            Function<TenantId, Optional<TenantRecord>> tenants,
            TenantStateCache cache,
            int maxRequestGb,
            List<String> enabledTypes,
            Duration poll,
            Duration heartbeat,
            Duration maxStream) {
        this.intake = requireNonNull(intake, "intake is null");
        this.batches = requireNonNull(batches, "batches is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.maxRequestGb = maxRequestGb;
        this.enabledTypes = List.copyOf(enabledTypes);
        this.poll = requireNonNull(poll, "poll is null");
        this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
        this.maxStream = requireNonNull(maxStream, "maxStream is null");
    }

    public void submit(Context ctx) throws IOException {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        Principal principal = RequestContext.principal(ctx).orElseThrow();
        IntakeService.Submission submission = intake.submit(
                principal,
                tenantId,
                ctx.header("Content-Type"),
                ctx.req().getContentLengthLong(),
                ctx.req().getInputStream());
        JsonNode data = Json.mapper().readTree(submission.batchReceipt());
        ctx.header(
                "Location",
                "/api/v1/ingest/" + tenantId.value() + "/batch/"
                        + data.get("batch_id").asText());
        Responses.accepted(ctx, data);
    }

    public void limits(Context ctx) {
        TenantConfig config = config(TenantAdminController.pathTenant(ctx));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("max_batch_size", config.maxBatchSize());
        data.put("max_file_size_mb", config.maxFileSizeMb());
        data.put("max_request_gb", maxRequestGb);
        data.put(
                "mime_allowlist",
                config.mimeAllowlist().stream()
                        .filter(enabledTypes::contains)
                        .sorted((a, b) -> Integer.compare(order(a), order(b)))
                        .toList());
        Responses.ok(ctx, data);
    }

    public void batches(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        Optional<BatchStatus> status =
                Optional.ofNullable(ctx.queryParam("status")).map(IngestController::status);
        int page = intParam(ctx, "page", 1, 1, 1_000_000);
        int limit = intParam(ctx, "limit", 20, 1, 100);
        Map.Entry<List<PostgresBatches.BatchSummary>, Long> found = batches.list(tenantId, status, page, limit);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PostgresBatches.BatchSummary batch : found.getKey()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("batch_id", batch.batchId());
            row.put("status", batch.status().name());
            row.put("file_count", batch.fileCount());
            row.put("received_at", batch.receivedAt());
            row.put("updated_at", batch.updatedAt());
            rows.add(row);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page);
        meta.put("limit", limit);
        meta.put("total", found.getValue());
        Responses.page(ctx, Map.of("batches", rows), meta);
    }

    public void batch(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        BatchView view = view(tenantId, ctx.pathParam("batch_id"));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total_files", view.files().size());
        summary.put("queued", count(view, "queued"));
        summary.put("processing", count(view, "processing"));
        summary.put("completed", count(view, "indexed") + count(view, "deduplicated"));
        summary.put("failed", count(view, "failed"));
        summary.put("rejected", count(view, "rejected"));
        summary.put("quarantined", count(view, "quarantined"));
        List<Map<String, Object>> files = new ArrayList<>();
        for (BatchFile file : view.files()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file_id", file.fileId());
            row.put("receipt_id", file.receiptId().toString());
            row.put("original_filename", file.originalFilename());
            row.put("doc_id", file.docId().orElse(null));
            row.put("file_status", file.status().wire());
            row.put("current_stage", file.currentStage());
            Map<String, Object> stages = new LinkedHashMap<>();
            for (PipelineStage stage : PipelineStage.values()) {
                stages.put(stage.wire(), file.stages().get(stage).wire());
            }
            row.put("stages", stages);
            row.put(
                    "error",
                    file.error()
                            .map(error -> {
                                Map<String, Object> e = new LinkedHashMap<>();
                                e.put("stage", error.stage().wire());
                                e.put("code", error.code());
                                e.put("message", error.message());
                                e.put("retry_count", file.retryCount());
                                e.put("last_retry_at", file.lastRetryAt().orElse(null));
                                return e;
                            })
                            .orElse(null));
            files.add(row);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("batch_id", view.batchId());
        data.put("tenant_id", view.tenantId().value());
        data.put("status", view.status().name());
        data.put("submitted_at", view.submittedAt().orElse(null));
        data.put("received_at", view.receivedAt());
        data.put("updated_at", view.updatedAt());
        data.put("summary", summary);
        data.put("files", files);
        data.put("report_id", view.reportId().map(UUID::toString).orElse(null));
        Responses.ok(ctx, data);
    }

    /** The batch's acceptance report (spec/11 §11.2) as {@code json} (default), {@code md}, {@code csv} or {@code html}. */
    public void report(Context ctx) throws JsonProcessingException {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        String batchId = ctx.pathParam("batch_id");
        String format = Optional.ofNullable(ctx.queryParam("format")).orElse("json");
        if (!List.of("json", "md", "csv", "html").contains(format)) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Unknown report format.",
                    List.of(new FrostbyteException.ErrorDetail("format", null, "json, md, csv or html")));
        }
        Optional<Integer> version =
                Optional.ofNullable(ctx.queryParam("version")).map(raw -> intValue("version", raw));
        BatchView view = view(tenantId, batchId);
        var stored = reports.find(tenantId, batchId, version);
        if (stored.isEmpty()) {
            if (version.isPresent() && view.status().terminal()) {
                throw notFound("No report of this version.");
            }
            throw new FrostbyteException(
                    ErrorCode.RESOURCE_NOT_READY,
                    view.status().terminal()
                            ? "The report is being generated; retry in a moment."
                            : "The batch is still processing; its report is generated when every file is done.");
        }
        JsonNode report = Json.mapper().readTree(stored.get().json());
        switch (format) {
            case "md" ->
                ctx.contentType("text/markdown; charset=utf-8")
                        .result(io.frostbyte.server.report.ReportFormats.markdown(report));
            case "csv" ->
                ctx.contentType("text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"report-" + batchId + ".csv\"")
                        .result(io.frostbyte.server.report.ReportFormats.csv(report));
            case "html" ->
                ctx.contentType("text/html; charset=utf-8")
                        .result(io.frostbyte.server.report.ReportFormats.html(report));
            default -> Responses.ok(ctx, report);
        }
    }

    private static int intValue(String name, String raw) {
        try {
            int value = Integer.parseInt(raw);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new FrostbyteException(
                ErrorCode.VALIDATION_ERROR,
                "Invalid query parameter " + name + ".",
                List.of(new FrostbyteException.ErrorDetail(name, null, "a positive integer")));
    }

    public void receipt(Context ctx) throws JsonProcessingException {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        UUID receiptId;
        try {
            receiptId = UUID.fromString(ctx.pathParam("receipt_id"));
        } catch (IllegalArgumentException e) {
            throw notFound("Receipt not found.");
        }
        String receipt = batches.receipt(tenantId, receiptId).orElseThrow(() -> notFound("Receipt not found."));
        Responses.ok(ctx, Json.mapper().readTree(receipt));
    }

    /**
     * {@code text/event-stream} of the batch's events (spec/01 §1.9): replays everything after {@code Last-Event-ID},
     * then follows new events until {@code end}; {@code revoked} and close within a second of a suspension or token
     * revocation; {@code : hb} while idle.
     */
    public void events(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        String batchId = ctx.pathParam("batch_id");
        view(tenantId, batchId);
        Principal principal = RequestContext.principal(ctx).orElseThrow();
        AtomicInteger open = streams.computeIfAbsent(tenantId, t -> new AtomicInteger());
        if (open.incrementAndGet() > MAX_STREAMS_PER_TENANT) {
            open.decrementAndGet();
            throw new FrostbyteException(
                    ErrorCode.RATE_LIMIT_EXCEEDED,
                    "This tenant has " + MAX_STREAMS_PER_TENANT + " event streams open; close one first.");
        }
        try {
            stream(ctx, tenantId, batchId, principal, lastEventId(ctx));
        } finally {
            open.decrementAndGet();
        }
    }

    private void stream(Context ctx, TenantId tenantId, String batchId, Principal principal, long after) {
        var response = ctx.res();
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        long last = after;
        long started = System.nanoTime();
        long lastWrite = System.nanoTime();
        try {
            OutputStream out = response.getOutputStream();
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (System.nanoTime() - started < maxStream.toNanos()) {
                List<BatchEvent> events = batches.events(tenantId, batchId, last, 500);
                for (BatchEvent event : events) {
                    write(out, "id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + event.data() + "\n\n");
                    last = event.id();
                    lastWrite = System.nanoTime();
                    if (event.type().equals("end")) {
                        out.flush();
                        return;
                    }
                }
                if (!events.isEmpty()) {
                    out.flush();
                    if (events.size() == 500) {
                        continue;
                    }
                }
                if (revoked(tenantId, principal)) {
                    write(
                            out,
                            "event: revoked\ndata: {\"batch_id\":"
                                    + Json.mapper().writeValueAsString(batchId)
                                    + ",\"reason\":\"TOKEN_REVOKED_OR_TENANT_SUSPENDED\"}\n\n");
                    out.flush();
                    return;
                }
                if (System.nanoTime() - lastWrite >= heartbeat.toNanos()) {
                    write(out, ": hb\n\n");
                    out.flush();
                    lastWrite = System.nanoTime();
                }
                Thread.sleep(poll.toMillis());
            }
        } catch (IOException e) {
            LOG.debug("event stream closed by the client: tenant_id={}", tenantId.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean revoked(TenantId tenantId, Principal principal) {
        Optional<TenantStatus> status = cache.status(tenantId);
        if (status.isEmpty() || status.get().state() != TenantState.ACTIVE) {
            return true;
        }
        if (principal.tenantId().isPlatform()) {
            return cache.status(TenantId.PLATFORM)
                    .map(platform -> platform.keyEpoch() > principal.epoch())
                    .orElse(false);
        }
        return status.get().keyEpoch() > principal.epoch();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static long lastEventId(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        if (header == null || header.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Last-Event-ID must be an event id.",
                    List.of(new FrostbyteException.ErrorDetail("Last-Event-ID", null, "a non-negative integer")));
        }
    }

    private BatchView view(TenantId tenantId, String batchId) {
        if (!BATCH_ID.matcher(batchId).matches()) {
            throw notFound("Batch not found.");
        }
        return batches.view(tenantId, batchId).orElseThrow(() -> notFound("Batch not found."));
    }

    private TenantConfig config(TenantId tenantId) {
        return tenants.apply(tenantId).map(TenantRecord::config).orElseThrow(() -> notFound("Tenant not found."));
    }

    private static long count(BatchView view, String status) {
        return view.files().stream()
                .filter(file -> file.status().wire().equals(status))
                .count();
    }

    private static int order(String mime) {
        return IntakeType.ofMimeType(mime).map(Enum::ordinal).orElse(Integer.MAX_VALUE);
    }

    private static BatchStatus status(String raw) {
        try {
            return BatchStatus.valueOf(raw.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Unknown batch status.",
                    List.of(new FrostbyteException.ErrorDetail(
                            "status", null, "RECEIVED, PROCESSING, COMPLETED, COMPLETED_WITH_ERRORS or FAILED")));
        }
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new FrostbyteException(
                ErrorCode.VALIDATION_ERROR,
                "Invalid query parameter " + name + ".",
                List.of(new FrostbyteException.ErrorDetail(name, null, "an integer from " + min + " to " + max)));
    }

    private static FrostbyteException notFound(String message) {
        return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, message);
    }
}
