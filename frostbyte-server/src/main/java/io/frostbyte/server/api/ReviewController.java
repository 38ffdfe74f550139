package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.FrostbyteException.ErrorDetail;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.policy.DocumentClass;
import io.frostbyte.postgres.ChunkRow;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.postgres.PostgresReviews;
import io.frostbyte.postgres.PostgresTenantDocuments;
import io.frostbyte.server.auth.Principal;
import io.frostbyte.server.http.Bodies;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.http.RequestContext;
import io.frostbyte.server.http.Responses;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The classification review queue (spec/03 §3.5: {@code GET /ingest/{t}/reviews}, {@code POST
 * /ingest/{t}/reviews/{review_id}/resolve}) and the admin's read of redaction originals (spec/03 POL-11: {@code GET
 * /admin/tenants/{t}/documents/{doc_id}/redactions}). Resolving relabels the document and its chunks, updates the
 * index payload with the stored vectors (no re-embedding) and writes REVIEW_RESOLVED; reading originals needs a reason
 * and writes REDACTION_ORIGINALS_ACCESSED with the reason's hash only.
 */
public final class ReviewController {
    private static final Set<String> LABELS =
            Arrays.stream(DocumentClass.values()).map(DocumentClass::wireName).collect(Collectors.toUnmodifiableSet());
    private static final Pattern DOC_ID = Pattern.compile("^doc_[0-9a-f]{24}$");

    private final PostgresReviews reviews;
    private final PostgresDocumentStore store;
    private final PostgresTenantDocuments documents;
    private final VectorIndex index;
    private final ObjectStore objects;
    private final AuditLog audit;
    private final Database control;
    private final Clock clock;
    private final io.frostbyte.server.index.IndexGenerations generations;

    public ReviewController(
            PostgresReviews reviews,
            PostgresDocumentStore store,
            PostgresTenantDocuments documents,
            VectorIndex index,
            ObjectStore objects,
            AuditLog audit,
            Database control,
            Clock clock,
            io.frostbyte.server.index.IndexGenerations generations) {
        this.generations = requireNonNull(generations, "generations is null");
        this.reviews = requireNonNull(reviews, "reviews is null");
        this.store = requireNonNull(store, "store is null");
        this.documents = requireNonNull(documents, "documents is null");
        this.index = requireNonNull(index, "index is null");
        this.objects = requireNonNull(objects, "objects is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.control = requireNonNull(control, "control is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void list(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        String status = Optional.ofNullable(ctx.queryParam("status")).orElse("pending");
        if (!status.equals("pending") && !status.equals("resolved")) {
            throw invalid("status", "pending or resolved");
        }
        int page = intParam(ctx, "page", 1, 1, 1_000_000);
        int limit = intParam(ctx, "limit", 20, 1, 100);
        Map.Entry<List<Map<String, Object>>, Long> found = reviews.list(tenantId, status, page, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> review : found.getKey()) {
            items.add(shown(review));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page);
        meta.put("limit", limit);
        meta.put("total", found.getValue());
        Responses.page(ctx, Map.of("reviews", items), meta);
    }

    public void resolve(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        Principal principal = RequestContext.principal(ctx).orElseThrow();
        UUID reviewId = reviewId(ctx);
        JsonNode body = Bodies.json(ctx, JsonNode.class);
        List<ErrorDetail> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("classification") && !name.equals("note")) {
                errors.add(
                        new ErrorDetail(name.length() > 64 ? name.substring(0, 64) : name, null, "not a known field"));
            }
        });
        JsonNode label = body.get("classification");
        if (label == null || !label.isTextual() || !LABELS.contains(label.textValue())) {
            errors.add(new ErrorDetail("classification", null, "one of " + new java.util.TreeSet<>(LABELS)));
        }
        JsonNode note = body.get("note");
        if (note != null
                && !note.isNull()
                && (!note.isTextual() || note.textValue().length() > 500)) {
            errors.add(new ErrorDetail("note", null, "at most 500 characters"));
        }
        if (!errors.isEmpty()) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "The request is invalid.", errors);
        }
        String newLabel = label.textValue();
        Map<String, Object> current = control.inTransaction(connection -> reviews.lock(connection, tenantId, reviewId))
                .orElseThrow(() -> notFound("Review not found."));
        if (!"pending".equals(current.get("status"))) {
            throw new FrostbyteException(ErrorCode.INVALID_STATE_TRANSITION, "The review is already resolved.");
        }
        String docId = (String) current.get("doc_id");
        Instant now = clock.instant();
        List<ChunkRow> chunks = store.relabel(tenantId, docId, newLabel, now);
        Instant ingestedAt =
                documents.find(tenantId, docId).map(row -> row.ingestedAt()).orElse(now);
        List<IndexPoint> points = new ArrayList<>();
        for (ChunkRow chunk : chunks) {
            if (!chunk.quarantined() && chunk.vector().isPresent()) {
                points.add(new IndexPoint(
                        chunk.chunkId(),
                        new DocId(docId),
                        newLabel,
                        chunk.page(),
                        ingestedAt,
                        chunk.vector().get(),
                        chunk.text()));
            }
        }
        IndexNamespace namespace = generations.current(tenantId).namespace();
        if (!points.isEmpty() && index.exists(namespace)) {
            index.upsert(namespace, points);
        }
        String resolvedBy = AuditEventDraft.user(principal.subject());
        control.inTransaction(connection -> {
            Map<String, Object> locked =
                    reviews.lock(connection, tenantId, reviewId).orElseThrow();
            if (!"pending".equals(locked.get("status"))) {
                throw new FrostbyteException(ErrorCode.INVALID_STATE_TRANSITION, "The review is already resolved.");
            }
            reviews.resolve(
                    connection,
                    tenantId,
                    reviewId,
                    newLabel,
                    resolvedBy,
                    Optional.ofNullable(note).filter(JsonNode::isTextual).map(JsonNode::textValue),
                    now);
            SortedMap<String, Object> details = new TreeMap<>();
            details.put("component", "review-api");
            details.put("status", "success");
            details.put("doc_id", docId);
            details.put("previous_label", current.get("current_label"));
            details.put("classification", newLabel);
            details.put("human_override", true);
            audit.append(
                    connection,
                    new AuditEventDraft(
                            tenantId,
                            EventType.REVIEW_RESOLVED,
                            resolvedBy,
                            "review",
                            reviewId.toString(),
                            Optional.empty(),
                            details));
            return null;
        });
        Map<String, Object> resolved = control.inTransaction(connection -> reviews.lock(connection, tenantId, reviewId))
                .orElseThrow();
        Responses.ok(ctx, shown(resolved));
    }

    /** Redaction originals of a document, for role admin with a stated reason (POL-11). */
    public void redactions(Context ctx) throws IOException {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        Principal principal = RequestContext.principal(ctx).orElseThrow();
        String docId = ctx.pathParam("doc_id");
        String reason = ctx.queryParam("reason");
        if (reason == null || reason.strip().length() < 10 || reason.length() > 500) {
            throw invalid("reason", "10 to 500 characters explaining why the originals are needed");
        }
        if (!DOC_ID.matcher(docId).matches()) {
            throw notFound("No redactions for this document.");
        }
        ObjectKey key = ObjectKey.redactions(docId);
        if (!objects.exists(tenantId, key)) {
            throw notFound("No redactions for this document.");
        }
        JsonNode originals;
        try (InputStream in = objects.get(tenantId, key)) {
            originals = Json.mapper().readTree(in);
        }
        control.inTransaction(connection -> {
            SortedMap<String, Object> details = new TreeMap<>();
            details.put("component", "admin-api");
            details.put("status", "success");
            details.put("reason_sha256", sha256(reason));
            details.put("span_count", originals.path("spans").size());
            audit.append(
                    connection,
                    new AuditEventDraft(
                            tenantId,
                            EventType.REDACTION_ORIGINALS_ACCESSED,
                            AuditEventDraft.user(principal.subject()),
                            "document",
                            docId,
                            Optional.empty(),
                            details));
            return null;
        });
        ctx.header("Cache-Control", "no-store");
        Responses.ok(ctx, originals);
    }

    private static Map<String, Object> shown(Map<String, Object> review) {
        Map<String, Object> shown = new LinkedHashMap<>(review);
        try {
            shown.put("candidates", Json.mapper().readTree((String) review.get("candidates")));
        } catch (IOException e) {
            shown.put("candidates", List.of());
        }
        return shown;
    }

    private static UUID reviewId(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("review_id"));
        } catch (IllegalArgumentException e) {
            throw notFound("Review not found.");
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
        throw invalid(name, "an integer from " + min + " to " + max);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static FrostbyteException invalid(String field, String rule) {
        return new FrostbyteException(
                ErrorCode.VALIDATION_ERROR, "The request is invalid.", List.of(new ErrorDetail(field, null, rule)));
    }

    private static FrostbyteException notFound(String message) {
        return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, message);
    }
}
