package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.Stage;
import io.frostbyte.postgres.AuditExportRecord;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresAuditExports;
import io.frostbyte.postgres.PostgresJobQueue;
import io.frostbyte.postgres.audit.AuditCheckpoint;
import io.frostbyte.postgres.audit.AuditEventDetail;
import io.frostbyte.postgres.audit.AuditEventFilter;
import io.frostbyte.postgres.audit.AuditEventJson;
import io.frostbyte.postgres.audit.AuditEventPage;
import io.frostbyte.postgres.audit.AuditEventSlice;
import io.frostbyte.postgres.audit.AuditVerifier;
import io.frostbyte.postgres.audit.PostgresAuditQueries;
import io.frostbyte.postgres.audit.ProvenanceChain;
import io.frostbyte.server.http.Bodies;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.http.Responses;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/audit/{tenant_id}} (spec/08 §8.5): events with filters, paging or a cursor; one event with its
 * lineage; a resource's provenance chain; verification; checkpoints; asynchronous exports. {@code tenant_id} may be
 * {@code _platform} for platform tokens.
 */
public final class AuditController {
    /** Body of {@code POST /audit/{t}/export}. */
    public record ExportRequest(
            String startDate, String endDate, List<String> eventTypes, String format, Boolean includeDetails) {}

    private final PostgresAuditQueries queries;
    private final AuditVerifier verifier;
    private final PostgresAuditExports exports;
    private final PostgresJobQueue jobs;
    private final Database database;
    private final Clock clock;

    public AuditController(
            PostgresAuditQueries queries,
            AuditVerifier verifier,
            PostgresAuditExports exports,
            PostgresJobQueue jobs,
            Database database,
            Clock clock) {
        this.queries = requireNonNull(queries, "queries is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.exports = requireNonNull(exports, "exports is null");
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void events(Context ctx) {
        TenantId tenant = chain(ctx);
        AuditEventFilter filter = AuditEventFilter.NONE;
        Map<String, Object> applied = new LinkedHashMap<>();
        String eventType = ctx.queryParam("event_type");
        if (eventType != null) {
            filter = filter.withEventType(eventType(eventType, "event_type"));
            applied.put("event_type", eventType);
        }
        for (String name : List.of("resource_type", "resource_id", "actor", "status")) {
            String value = ctx.queryParam(name);
            if (value != null) {
                if (value.length() > 200) {
                    throw invalid(name, null, "at most 200 characters");
                }
                filter = switch (name) {
                    case "resource_type" -> filter.withResourceType(value);
                    case "resource_id" -> filter.withResourceId(value);
                    case "actor" -> filter.withActor(value);
                    default -> filter.withStatus(value);
                };
                applied.put(name, value);
            }
        }
        Optional<LocalDate> start = date(ctx.queryParam("start_date"), "start_date");
        Optional<LocalDate> end = date(ctx.queryParam("end_date"), "end_date");
        if (start.isPresent() || end.isPresent()) {
            LocalDate from = start.orElse(LocalDate.of(1970, 1, 1));
            LocalDate to = end.orElse(LocalDate.of(9999, 12, 31));
            if (to.isBefore(from)) {
                throw invalid("end_date", to.toString(), "on or after start_date");
            }
            filter = filter.withDates(from, to);
            start.ifPresent(d -> applied.put("start_date", d.toString()));
            end.ifPresent(d -> applied.put("end_date", d.toString()));
        }
        String sortParam = Optional.ofNullable(ctx.queryParam("sort")).orElse("desc");
        if (!sortParam.equals("asc") && !sortParam.equals("desc")) {
            throw invalid("sort", sortParam, "asc or desc");
        }
        PostgresAuditQueries.Sort sort =
                sortParam.equals("asc") ? PostgresAuditQueries.Sort.ASC : PostgresAuditQueries.Sort.DESC;
        int limit = Pages.limit(ctx, 50, PostgresAuditQueries.MAX_LIMIT);
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) {
            AuditEventSlice slice = queries.listAfter(
                    tenant, filter, cursor.isEmpty() ? Optional.empty() : Optional.of(cursor), limit, sort);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("limit", limit);
            meta.put("next_cursor", slice.nextCursor().orElse(null));
            meta.put("has_more", slice.hasMore());
            meta.put("filters_applied", applied);
            Responses.page(ctx, Map.of("events", nodes(slice.events())), meta);
            return;
        }
        int page = Pages.page(ctx);
        AuditEventPage result = queries.list(tenant, filter, page, limit, sort);
        Map<String, Object> meta = Pages.meta(result.total(), page, limit);
        meta.put("filters_applied", applied);
        Responses.page(ctx, Map.of("events", nodes(result.events())), meta);
    }

    public void event(Context ctx) {
        TenantId tenant = chain(ctx);
        UUID id = uuid(ctx.pathParam("event_id"));
        AuditEventDetail detail = queries.find(tenant, id).orElseThrow(AuditController::notFound);
        ObjectNode node = AuditEventJson.toNode(detail.event());
        node.putObject("annotations");
        if (detail.nextEventId().isPresent()) {
            node.put("next_event_id", detail.nextEventId().get().toString());
        } else {
            node.putNull("next_event_id");
        }
        node.put("lineage_position", detail.lineagePosition());
        node.put("lineage_length", detail.lineageLength());
        Responses.ok(ctx, node);
    }

    public void chainOf(Context ctx) {
        TenantId tenant = chain(ctx);
        String resourceId = ctx.pathParam("resource_id");
        if (resourceId.length() > 200) {
            throw notFound();
        }
        ProvenanceChain chain = queries.chainOf(tenant, resourceId).orElseThrow(AuditController::notFound);
        List<Map<String, Object>> items = new ArrayList<>();
        int position = 1;
        for (AuditEvent event : chain.events()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("position", position++);
            item.put("event_id", event.eventId().toString());
            item.put("event_type", event.eventType().name());
            item.put("timestamp", AuditEventJson.formatTimestamp(event.timestamp()));
            item.put("component", event.details().get("component"));
            item.put("input_hash", event.details().get("input_hash"));
            item.put("output_hash", event.details().get("output_hash"));
            item.put("status", event.details().get("status"));
            item.put("duration_ms", event.details().get("duration_ms"));
            items.add(item);
        }
        List<Map<String, Object>> breaks = new ArrayList<>();
        chain.breaks().forEach(b -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("position", b.seq());
            item.put("kind", b.kind().wireName());
            item.put("expected", b.expected());
            item.put("actual", b.actual());
            breaks.add(item);
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("resource_id", resourceId);
        data.put("chain_length", items.size());
        data.put("chain", items);
        data.put(
                "older_branches",
                chain.olderBranches().stream().map(UUID::toString).toList());
        data.put("hash_chain_valid", chain.valid());
        data.put(
                "hash_chain_verification",
                Map.of("method", "sha256 event hashes and input/output hash links", "breaks", breaks));
        Responses.ok(ctx, data);
    }

    public void verify(Context ctx) {
        TenantId tenant = chain(ctx);
        long fromSeq = Pages.integer(ctx, "from_seq", 1, 1, Integer.MAX_VALUE);
        if (ctx.queryParam("to_seq") != null) {
            Pages.integer(
                    ctx,
                    "to_seq",
                    1,
                    fromSeq > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) fromSeq,
                    Integer.MAX_VALUE);
        }
        Responses.ok(ctx, verifier.verify(tenant, fromSeq).toNode());
    }

    public void checkpoints(Context ctx) {
        TenantId tenant = chain(ctx);
        int page = Pages.page(ctx);
        int limit = Pages.limit(ctx, 50, 500);
        PostgresAuditQueries.CheckpointPage result = queries.checkpoints(tenant, page, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        for (AuditCheckpoint checkpoint : result.checkpoints()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("seq", checkpoint.seq());
            item.put("event_hash", checkpoint.eventHash());
            item.put("time", AuditEventJson.formatTimestamp(checkpoint.time()));
            item.put("key_id", checkpoint.keyId());
            item.put("signature", checkpoint.signature());
            items.add(item);
        }
        Responses.page(ctx, Map.of("checkpoints", items), Pages.meta(result.total(), page, limit));
    }

    public void requestExport(Context ctx) {
        TenantId tenant = chain(ctx);
        ExportRequest request = Bodies.json(ctx, ExportRequest.class);
        LocalDate start =
                date(request.startDate(), "start_date").orElseThrow(() -> invalid("start_date", null, "required"));
        LocalDate end = date(request.endDate(), "end_date").orElseThrow(() -> invalid("end_date", null, "required"));
        if (end.isBefore(start)) {
            throw invalid("end_date", end.toString(), "on or after start_date");
        }
        String format = Optional.ofNullable(request.format()).orElse("jsonl");
        if (!format.equals("jsonl") && !format.equals("csv")) {
            throw invalid("format", format, "jsonl or csv");
        }
        Optional<List<String>> types = Optional.ofNullable(request.eventTypes())
                .filter(list -> !list.isEmpty())
                .map(list -> {
                    if (list.size() > EventType.values().length) {
                        throw invalid("event_types", null, "at most " + EventType.values().length + " types");
                    }
                    return list.stream()
                            .map(name -> eventType(name, "event_types").name())
                            .distinct()
                            .toList();
                });
        boolean includeDetails = request.includeDetails() == null || request.includeDetails();
        UUID exportId = Uuid7.random();
        long estimated = estimate(tenant, start, end);
        database.inTransaction(tx -> {
            exports.create(tx, exportId, tenant, format, start, end, types, includeDetails, estimated);
            jobs.enqueue(
                    tx,
                    new JobRequest(
                            tenant,
                            Stage.EXPORT,
                            "export",
                            exportId.toString(),
                            "audit-export:" + exportId,
                            Map.of("kind", "audit", "export_id", exportId.toString())));
            return null;
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("export_id", exportId.toString());
        data.put("status", "pending");
        data.put("date_range", Map.of("start_date", start.toString(), "end_date", end.toString()));
        data.put("estimated_events", estimated);
        data.put("download_url", null);
        data.put("expires_at", null);
        ctx.header("Location", "/api/v1/audit/" + tenant.value() + "/export/" + exportId);
        Responses.accepted(ctx, data);
    }

    public void exportStatus(Context ctx) {
        TenantId tenant = chain(ctx);
        AuditExportRecord record =
                exports.find(tenant, uuid(ctx.pathParam("export_id"))).orElseThrow(AuditController::notFound);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("export_id", record.exportId().toString());
        data.put("status", record.status());
        data.put("event_count", record.eventCount().orElse(null));
        data.put("file_size_bytes", record.fileSizeBytes().orElse(null));
        data.put("file_sha256", record.fileSha256().orElse(null));
        data.put(
                "download_url",
                record.status().equals("completed")
                        ? "/api/v1/audit/" + tenant.value() + "/export/" + record.exportId() + "/download"
                        : null);
        data.put("expires_at", record.expiresAt().map(Json::timestamp).orElse(null));
        data.put("completed_at", record.completedAt().map(Json::timestamp).orElse(null));
        Responses.ok(ctx, data);
    }

    public void download(Context ctx) throws IOException {
        TenantId tenant = chain(ctx);
        AuditExportRecord record =
                exports.find(tenant, uuid(ctx.pathParam("export_id"))).orElseThrow(AuditController::notFound);
        if (!record.status().equals("completed")) {
            throw new FrostbyteException(ErrorCode.RESOURCE_NOT_READY, "The export is " + record.status() + ".");
        }
        if (record.expiresAt().orElseThrow().isBefore(clock.instant())) {
            throw new FrostbyteException(ErrorCode.EXPORT_EXPIRED, "The export's download link has expired.");
        }
        Path file = Path.of(record.filePath().orElseThrow());
        if (!Files.isRegularFile(file)) {
            throw new FrostbyteException(ErrorCode.EXPORT_EXPIRED, "The export's file is no longer available.");
        }
        ctx.contentType("application/gzip");
        ctx.header(
                "Content-Disposition",
                "attachment; filename=\"audit-" + tenant.value() + "-" + record.startDate() + "-" + record.endDate()
                        + ".tar.gz\"");
        ctx.header("X-Content-SHA256", record.fileSha256().orElseThrow());
        InputStream in = Files.newInputStream(file);
        ctx.result(in);
    }

    private long estimate(TenantId tenant, LocalDate start, LocalDate end) {
        return database.inTransaction(tx -> count(tx, tenant, start, end));
    }

    private static long count(Connection tx, TenantId tenant, LocalDate start, LocalDate end)
            throws java.sql.SQLException {
        try (PreparedStatement select = tx.prepareStatement(
                "SELECT count(*) FROM audit_events WHERE tenant_id = ? AND \"timestamp\" >= ?::date AND \"timestamp\" < (?::date + 1)")) {
            select.setString(1, tenant.value());
            select.setString(2, start.toString());
            select.setString(3, end.toString());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static List<ObjectNode> nodes(List<AuditEvent> events) {
        return events.stream().map(AuditEventJson::toNode).toList();
    }

    /** The chain named by the path: a tenant or {@code _platform} (the authenticator already checked access). */
    private static TenantId chain(Context ctx) {
        return TenantId.of(ctx.pathParam("tenant_id"));
    }

    private static EventType eventType(String name, String field) {
        try {
            return EventType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw invalid(field, name.length() > 64 ? name.substring(0, 64) : name, "an event type of spec/06 6.5");
        }
    }

    private static Optional<LocalDate> date(String raw, String field) {
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(raw));
        } catch (DateTimeParseException e) {
            throw invalid(field, raw.length() > 32 ? raw.substring(0, 32) : raw, "a date YYYY-MM-DD");
        }
    }

    private static UUID uuid(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    private static FrostbyteException notFound() {
        return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "No such resource.");
    }

    private static FrostbyteException invalid(String field, Object value, String constraint) {
        return new FrostbyteException(
                ErrorCode.VALIDATION_ERROR,
                "Request is invalid.",
                List.of(new FrostbyteException.ErrorDetail(field, value, constraint)));
    }
}
