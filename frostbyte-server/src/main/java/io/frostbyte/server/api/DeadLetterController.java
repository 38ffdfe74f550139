package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.job.Stage;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.DeadLetter;
import io.frostbyte.postgres.DeadLetterFilter;
import io.frostbyte.postgres.DeadLetterPage;
import io.frostbyte.postgres.DeadLetterResolution;
import io.frostbyte.postgres.DeadLetterStatus;
import io.frostbyte.postgres.PostgresAdminNotes;
import io.frostbyte.postgres.PostgresDeadLetters;
import io.frostbyte.server.http.Bodies;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.http.Responses;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /api/v1/admin/dead-letters} and {@code /api/v1/admin/tenants/{t}/dead-letters/{id}}: listing, reading, retrying
 * and abandoning dead letters (spec/08 §8.6, spec/09 §9.1). Role admin, scope admin. Each resolution commits DLQ_RESOLVED
 * {@code {stage, resource_id, resolution, new_job_id, reason_sha256}} in the tenant's chain in the same transaction; the
 * reason text itself goes to the deletable admin notes. Another tenant's entry id is not found (404).
 */
public final class DeadLetterController {
    /** Body of {@code POST …/retry}; the reason is optional. */
    public record RetryRequest(String reason) {}

    /** Body of {@code POST …/abandon}. */
    public record AbandonRequest(String reason, String resolution) {}

    private final PostgresDeadLetters deadLetters;
    private final PostgresAdminNotes notes;
    private final AuditLog audit;
    private final Database database;
    private final Runnable wakeWorkers;

    /**
     * @param wakeWorkers called after a retry committed its new job, so a local worker pool claims it at once
     */
    public DeadLetterController(
            PostgresDeadLetters deadLetters,
            PostgresAdminNotes notes,
            AuditLog audit,
            Database database,
            Runnable wakeWorkers) {
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.notes = requireNonNull(notes, "notes is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.database = requireNonNull(database, "database is null");
        this.wakeWorkers = requireNonNull(wakeWorkers, "wakeWorkers is null");
    }

    public void list(Context ctx) {
        DeadLetterFilter filter = DeadLetterFilter.ALL;
        String tenant = ctx.queryParam("tenant_id");
        if (tenant != null) {
            if (!TenantId.isValid(tenant)) {
                throw invalidQuery("tenant_id", tenant, "a tenant id");
            }
            filter = filter.withTenant(TenantId.of(tenant));
        }
        String stage = ctx.queryParam("stage");
        if (stage != null) {
            filter = filter.withStage(parse("stage", stage, Stage.values(), Stage::wire));
        }
        String status = Optional.ofNullable(ctx.queryParam("status")).orElse(DeadLetterStatus.PENDING_REVIEW.wire());
        filter = filter.withStatus(parse("status", status, DeadLetterStatus.values(), DeadLetterStatus::wire));
        int page = Pages.page(ctx);
        int limit = Pages.limit(ctx, PostgresDeadLetters.DEFAULT_LIMIT, PostgresDeadLetters.MAX_LIMIT);
        DeadLetterPage result = deadLetters.list(filter, page, limit);
        List<Map<String, Object>> entries = new ArrayList<>();
        result.entries().forEach(entry -> entries.add(json(entry)));
        Responses.page(ctx, Map.of("entries", entries), Pages.meta(result.total(), page, limit));
    }

    public void get(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        UUID id = pathEntry(ctx);
        DeadLetter entry = deadLetters.find(tenantId, id).orElseThrow(DeadLetterController::notFound);
        Responses.ok(ctx, json(entry));
    }

    public void retry(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        UUID id = pathEntry(ctx);
        Optional<String> reason = ctx.req().getContentLengthLong() <= 0
                ? Optional.empty()
                : Optional.ofNullable(Bodies.json(ctx, RetryRequest.class).reason());
        reason.ifPresent(TenantAdminController::requireReason);
        String actor = TenantAdminController.actor(ctx);
        DeadLetter resolved = uniformNotFound(() -> database.inTransaction(tx -> {
            DeadLetter entry = deadLetters.retry(tx, tenantId, id, actor);
            Optional<String> reasonSha = reason.map(text -> notes.record(tx, tenantId, "dlq_retry", text, actor));
            audit.append(tx, resolvedEvent(entry, actor, reasonSha));
            return entry;
        }));
        wakeWorkers.run();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dlq_entry_id", resolved.dlqEntryId().toString());
        data.put("status", resolved.status().wire());
        data.put("resolution", DeadLetterResolution.REPROCESSED.wire());
        data.put("new_job_id", resolved.newJobId().orElseThrow().toString());
        Responses.accepted(ctx, data);
    }

    public void abandon(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        UUID id = pathEntry(ctx);
        AbandonRequest request = Bodies.json(ctx, AbandonRequest.class);
        String reason = TenantAdminController.requireReason(request.reason());
        DeadLetterResolution resolution = request.resolution() == null
                ? DeadLetterResolution.SKIPPED
                : parseBody(
                        "resolution",
                        request.resolution(),
                        new DeadLetterResolution[] {DeadLetterResolution.SKIPPED, DeadLetterResolution.MANUAL_FIX},
                        DeadLetterResolution::wire);
        String actor = TenantAdminController.actor(ctx);
        DeadLetter abandoned = uniformNotFound(() -> database.inTransaction(tx -> {
            DeadLetter entry = deadLetters.abandon(tx, tenantId, id, resolution, actor);
            String reasonSha = notes.record(tx, tenantId, "dlq_abandon", reason, actor);
            audit.append(tx, resolvedEvent(entry, actor, Optional.of(reasonSha)));
            return entry;
        }));
        Responses.ok(ctx, json(abandoned));
    }

    private static AuditEventDraft resolvedEvent(DeadLetter entry, String actor, Optional<String> reasonSha) {
        TreeMap<String, Object> details = new TreeMap<>();
        details.put("component", "admin-api");
        details.put("status", "success");
        details.put("stage", entry.stage().wire());
        details.put("resource_id", entry.resourceId());
        details.put("resolution", entry.resolution().orElseThrow().wire());
        details.put("new_job_id", entry.newJobId().map(UUID::toString).orElse(null));
        details.put("reason_sha256", reasonSha.orElse(null));
        return new AuditEventDraft(
                entry.tenantId(),
                EventType.DLQ_RESOLVED,
                actor,
                "dlq_entry",
                entry.dlqEntryId().toString(),
                Optional.empty(),
                details);
    }

    /** An entry as spec/09 §9.1 shows it, plus {@code new_job_id} once a retry created one. */
    static Map<String, Object> json(DeadLetter entry) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", entry.errorCode().name());
        error.put("message", entry.errorMessage());
        error.put("stack_trace_hash", entry.stackTraceHash());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dlq_entry_id", entry.dlqEntryId().toString());
        data.put("tenant_id", entry.tenantId().value());
        data.put("original_job_id", entry.originalJobId().toString());
        data.put("stage", entry.stage().wire());
        data.put("resource_type", entry.resourceType());
        data.put("resource_id", entry.resourceId());
        data.put("first_attempt_at", Json.timestamp(entry.firstAttemptAt()));
        data.put("last_attempt_at", Json.timestamp(entry.lastAttemptAt()));
        data.put("retry_count", entry.retryCount());
        data.put("error", error);
        data.put("status", entry.status().wire());
        data.put("resolved_at", entry.resolvedAt().map(Json::timestamp).orElse(null));
        data.put(
                "resolution", entry.resolution().map(DeadLetterResolution::wire).orElse(null));
        data.put("resolved_by", entry.resolvedBy().orElse(null));
        data.put("new_job_id", entry.newJobId().map(UUID::toString).orElse(null));
        return data;
    }

    private static UUID pathEntry(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("dlq_entry_id"));
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    /** One 404 for an unknown entry, another tenant's and an unknown tenant: existence is never revealed. */
    private static DeadLetter uniformNotFound(Supplier<DeadLetter> resolution) {
        try {
            return resolution.get();
        } catch (FrostbyteException e) {
            if (e.code() == ErrorCode.RESOURCE_NOT_FOUND) {
                throw notFound();
            }
            throw e;
        }
    }

    private static FrostbyteException notFound() {
        return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "Dead letter not found.");
    }

    private static <T> T parse(String field, String raw, T[] allowed, Function<T, String> wire) {
        return Arrays.stream(allowed)
                .filter(value -> wire.apply(value).equals(raw))
                .findFirst()
                .orElseThrow(() -> invalidQuery(field, raw, oneOf(allowed, wire)));
    }

    private static <T> T parseBody(String field, String raw, T[] allowed, Function<T, String> wire) {
        return Arrays.stream(allowed)
                .filter(value -> wire.apply(value).equals(raw))
                .findFirst()
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.VALIDATION_ERROR,
                        "Request body is invalid.",
                        List.of(new FrostbyteException.ErrorDetail(field, shortened(raw), oneOf(allowed, wire)))));
    }

    private static <T> String oneOf(T[] allowed, Function<T, String> wire) {
        return "one of " + Arrays.stream(allowed).map(wire).toList();
    }

    private static FrostbyteException invalidQuery(String field, String raw, String constraint) {
        return new FrostbyteException(
                ErrorCode.VALIDATION_ERROR,
                "Query is invalid.",
                List.of(new FrostbyteException.ErrorDetail(field, shortened(raw), constraint)));
    }

    private static String shortened(String raw) {
        return raw.length() > 32 ? raw.substring(0, 32) : raw;
    }
}
