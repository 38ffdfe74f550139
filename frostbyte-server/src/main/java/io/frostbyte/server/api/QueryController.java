package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.FrostbyteException.ErrorDetail;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.index.SearchFilter;
import io.frostbyte.core.index.SearchMode;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.postgres.PostgresDocumentStore;
import io.frostbyte.server.auth.Principal;
import io.frostbyte.server.http.Bodies;
import io.frostbyte.server.http.RequestContext;
import io.frostbyte.server.http.Responses;
import io.frostbyte.server.serving.SearchQuery;
import io.frostbyte.server.serving.SearchService;
import io.javalin.http.Context;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/query/{tenant_id}} (spec/08 §8.4, spec/05): search with a signed retrieval proof, and reads of the
 * tenant's indexed documents and chunks. Quarantined content is never returned: those reads answer 404.
 */
public final class QueryController {
    private static final Set<String> FIELDS = Set.of("query_text", "top_k", "mode", "filters", "include_generation");
    private static final Set<String> FILTERS = Set.of("classification", "date_range", "doc_ids");
    private static final Set<String> CLASSES = java.util.Arrays.stream(io.frostbyte.policy.DocumentClass.values())
            .map(io.frostbyte.policy.DocumentClass::wireName)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Pattern CHUNK_ID = Pattern.compile("^chk_[0-9a-f]{24}$");
    private static final Pattern DOC_ID = Pattern.compile("^doc_[0-9a-f]{24}$");

    private final SearchService search;
    private final PostgresDocumentStore store;
    private final Function<TenantId, Optional<TenantRecord>> tenants;

    public QueryController(
            SearchService search, PostgresDocumentStore store, Function<TenantId, Optional<TenantRecord>> tenants) {
        this.search = requireNonNull(search, "search is null");
        this.store = requireNonNull(store, "store is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
    }

    public void search(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        Principal principal = RequestContext.principal(ctx).orElseThrow();
        TenantConfig config = config(tenantId);
        SearchQuery query = query(Bodies.json(ctx, JsonNode.class), config);
        SearchService.Result result;
        try {
            result = search.search(principal, tenantId, config, query);
        } catch (FrostbyteException e) {
            if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                io.frostbyte.server.http.ApiServer.retryAfter(ctx, 10); // spec/05 SRV-3
            }
            throw e;
        }
        if (result.modelMismatch()) {
            ctx.header("X-Frostbyte-Model-Mismatch", "true");
        }
        Responses.ok(ctx, result.data());
    }

    public void documents(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        Optional<String> classification = Optional.ofNullable(ctx.queryParam("classification"));
        if (classification.isPresent() && !CLASSES.contains(classification.get())) {
            throw invalid("classification", "one of " + new TreeSet<>(CLASSES));
        }
        Optional<String> batchId = Optional.ofNullable(ctx.queryParam("batch_id"));
        int page = intParam(ctx, "page", 1, 1, 1_000_000);
        int limit = intParam(ctx, "limit", 20, 1, 100);
        Map.Entry<List<Map<String, Object>>, Long> found =
                store.documents(tenantId, classification, batchId, page, limit);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page);
        meta.put("limit", limit);
        meta.put("total", found.getValue());
        Responses.page(ctx, Map.of("documents", found.getKey()), meta);
    }

    public void document(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        String docId = ctx.pathParam("doc_id");
        if (!DOC_ID.matcher(docId).matches()) {
            throw notFound("Document not found.");
        }
        Map<String, Object> document =
                store.document(tenantId, docId).orElseThrow(() -> notFound("Document not found."));
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("raw_sha256", document.get("sha256"));
        lineage.put("structured_sha256", document.remove("structured_sha256"));
        lineage.put("classifier_version", document.remove("classifier_version"));
        document.put("lineage", lineage);
        Responses.ok(ctx, document);
    }

    public void chunk(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        String chunkId = ctx.pathParam("chunk_id");
        if (!CHUNK_ID.matcher(chunkId).matches()) {
            throw notFound("Chunk not found.");
        }
        Responses.ok(ctx, store.chunk(tenantId, chunkId).orElseThrow(() -> notFound("Chunk not found.")));
    }

    private TenantConfig config(TenantId tenantId) {
        return tenants.apply(tenantId).map(TenantRecord::config).orElseThrow(() -> notFound("Tenant not found."));
    }

    static SearchQuery query(JsonNode body, TenantConfig config) {
        if (body == null || !body.isObject()) {
            throw invalid("body", "a JSON object");
        }
        List<ErrorDetail> errors = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new ErrorDetail(shown(name), null, "not a known field"));
            }
        }
        JsonNode text = body.get("query_text");
        String queryText = null;
        if (text == null
                || !text.isTextual()
                || text.textValue().isBlank()
                || text.textValue().length() > SearchQuery.MAX_QUERY_CHARS) {
            errors.add(new ErrorDetail("query_text", null, "1 to 10,000 characters, not blank"));
        } else {
            queryText = text.textValue();
        }
        int topK = config.retrievalTopKDefault();
        JsonNode top = body.get("top_k");
        if (top != null && !top.isNull()) {
            if (!top.isIntegralNumber() || top.intValue() < 1 || top.intValue() > config.retrievalTopKMax()) {
                errors.add(new ErrorDetail("top_k", null, "an integer from 1 to " + config.retrievalTopKMax()));
            } else {
                topK = top.intValue();
            }
        }
        SearchMode mode = SearchMode.valueOf(config.retrievalModeDefault().toUpperCase(Locale.ROOT));
        JsonNode modeNode = body.get("mode");
        if (modeNode != null && !modeNode.isNull()) {
            try {
                mode = SearchMode.valueOf(modeNode.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new ErrorDetail("mode", null, "hybrid, vector or keyword"));
            }
        }
        boolean generation = false;
        JsonNode gen = body.get("include_generation");
        if (gen != null && !gen.isNull()) {
            if (!gen.isBoolean()) {
                errors.add(new ErrorDetail("include_generation", null, "a boolean"));
            } else {
                generation = gen.booleanValue();
            }
        }
        SearchFilter filter = filter(body.get("filters"), errors);
        if (!errors.isEmpty()) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "The search request is invalid.", errors);
        }
        return new SearchQuery(queryText, topK, mode, filter, generation);
    }

    private static SearchFilter filter(JsonNode filters, List<ErrorDetail> errors) {
        if (filters == null || filters.isNull()) {
            return SearchFilter.NONE;
        }
        if (!filters.isObject()) {
            errors.add(new ErrorDetail("filters", null, "an object"));
            return SearchFilter.NONE;
        }
        for (Iterator<String> names = filters.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FILTERS.contains(name)) {
                errors.add(new ErrorDetail("filters." + shown(name), null, "not a known filter"));
            }
        }
        TreeSet<String> classes = new TreeSet<>();
        JsonNode classification = filters.get("classification");
        if (classification != null && !classification.isNull()) {
            List<JsonNode> values = new ArrayList<>();
            if (classification.isArray()) {
                classification.forEach(values::add);
            } else {
                values.add(classification);
            }
            for (JsonNode value : values) {
                if (!value.isTextual() || !CLASSES.contains(value.textValue())) {
                    errors.add(
                            new ErrorDetail("filters.classification", null, "known labels " + new TreeSet<>(CLASSES)));
                } else {
                    classes.add(value.textValue());
                }
            }
        }
        Optional<LocalDate> from = Optional.empty();
        Optional<LocalDate> to = Optional.empty();
        JsonNode range = filters.get("date_range");
        if (range != null && !range.isNull()) {
            try {
                from = Optional.of(LocalDate.parse(range.path("start").asText()));
                to = Optional.of(LocalDate.parse(range.path("end").asText()));
                if (from.get().isAfter(to.get())) {
                    errors.add(new ErrorDetail("filters.date_range", null, "start on or before end"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new ErrorDetail("filters.date_range", null, "{start, end} as YYYY-MM-DD"));
            }
        }
        TreeSet<DocId> docIds = new TreeSet<>();
        JsonNode ids = filters.get("doc_ids");
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray() || ids.size() > 100) {
                errors.add(new ErrorDetail("filters.doc_ids", null, "at most 100 doc ids"));
            } else {
                for (JsonNode id : ids) {
                    if (!id.isTextual() || !DOC_ID.matcher(id.textValue()).matches()) {
                        errors.add(new ErrorDetail("filters.doc_ids", null, "doc ids like doc_<24 hex>"));
                    } else {
                        docIds.add(new DocId(id.textValue()));
                    }
                }
            }
        }
        if (classes.isEmpty() && from.isEmpty() && docIds.isEmpty()) {
            return SearchFilter.NONE;
        }
        return new SearchFilter(classes, from, to, docIds);
    }

    private static String shown(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
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

    private static FrostbyteException invalid(String field, String rule) {
        return new FrostbyteException(
                ErrorCode.VALIDATION_ERROR, "The request is invalid.", List.of(new ErrorDetail(field, null, rule)));
    }

    private static FrostbyteException notFound(String message) {
        return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, message);
    }
}
