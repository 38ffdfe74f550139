package io.frostbyte.server.http;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.auth.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAPI 3.1 document at {@code /api/v1/openapi.json}, generated from the same route table the server serves,
 * so it describes exactly the routes that exist.
 */
public final class OpenApiDocument {
    private OpenApiDocument() {}

    public static Map<String, Object> build(List<Route> routes, String version) {
        Map<String, Object> paths = new TreeMap<>();
        for (Route route : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new TreeMap<>());
            item.put(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.1.0");
        document.put(
                "info",
                Map.of(
                        "title", "Frostbyte API",
                        "version", version,
                        "description", "Multi-tenant document ETL pipeline for retrieval-augmented generation."));
        document.put("servers", List.of(Map.of("url", "/")));
        document.put("paths", paths);
        document.put("components", components());
        return document;
    }

    private static Map<String, Object> operation(Route route) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", route.operationId());
        operation.put("summary", route.summary());
        operation.put("tags", List.of(route.tag()));
        List<Map<String, Object>> parameters = new ArrayList<>();
        for (String name : route.pathParameters()) {
            parameters.add(Map.of("name", name, "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        if (route.access().authenticated()) {
            operation.put("security", List.of(Map.of("bearerAuth", List.of())));
            operation.put(
                    "x-frostbyte-roles",
                    route.access().roles().stream().map(Role::wire).sorted().toList());
            operation.put(
                    "x-frostbyte-scope", route.access().scope().orElseThrow().wire());
        } else {
            operation.put("security", List.of());
        }
        route.rateLimit().ifPresent(area -> operation.put("x-frostbyte-rate-limit-area", area.wire()));
        route.requestBody()
                .ifPresent(schema -> operation.put(
                        "requestBody",
                        Map.of(
                                "required",
                                true,
                                "content",
                                Map.of(
                                        "application/json",
                                        Map.of("schema", Map.of("$ref", "#/components/schemas/" + schema))))));
        Map<String, Object> responses = new TreeMap<>();
        for (int status : route.responses()) {
            responses.put(
                    Integer.toString(status),
                    status < 300
                            ? Map.of("description", "Success", "content", Map.of(route.produces(), Map.of()))
                            : errorResponse("Error"));
        }
        if (route.access().authenticated()) {
            responses.put("401", errorResponse("AUTHENTICATION_REQUIRED, TOKEN_EXPIRED or TOKEN_REVOKED"));
            responses.put("403", errorResponse("INSUFFICIENT_PERMISSIONS or TENANT_SUSPENDED"));
        }
        if (route.rateLimit().isPresent()) {
            responses.put("429", errorResponse("RATE_LIMIT_EXCEEDED, with Retry-After"));
        }
        responses.put("500", errorResponse("INTERNAL_ERROR"));
        operation.put("responses", responses);
        return operation;
    }

    private static Map<String, Object> errorResponse(String description) {
        return Map.of(
                "description",
                description,
                "content",
                Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/ErrorEnvelope"))));
    }

    private static Map<String, Object> components() {
        Map<String, Object> schemas = new TreeMap<>();
        schemas.put(
                "ErrorEnvelope",
                Map.of(
                        "type", "object",
                        "required", List.of("success", "error"),
                        "properties",
                                Map.of(
                                        "success", Map.of("const", false),
                                        "error",
                                                Map.of(
                                                        "type", "object",
                                                        "required", List.of("code", "message", "details", "request_id"),
                                                        "properties",
                                                                Map.of(
                                                                        "code",
                                                                                Map.of(
                                                                                        "type",
                                                                                        "string",
                                                                                        "enum",
                                                                                        errorCodes()),
                                                                        "message", Map.of("type", "string"),
                                                                        "details",
                                                                                Map.of(
                                                                                        "type",
                                                                                        "array",
                                                                                        "items",
                                                                                        Map.of(
                                                                                                "type",
                                                                                                "object",
                                                                                                "properties",
                                                                                                Map.of(
                                                                                                        "field",
                                                                                                                Map.of(
                                                                                                                        "type",
                                                                                                                        "string"),
                                                                                                        "value",
                                                                                                                Map
                                                                                                                        .of(),
                                                                                                        "constraint",
                                                                                                                Map.of(
                                                                                                                        "type",
                                                                                                                        "string")))),
                                                                        "request_id", Map.of("type", "string"))))));
        schemas.put(
                "TokenRequest",
                Map.of(
                        "type", "object",
                        "required", List.of("sub", "role", "scopes"),
                        "properties",
                                Map.of(
                                        "sub", Map.of("type", "string", "pattern", "^[A-Za-z0-9._:-]{1,64}$"),
                                        "role",
                                                Map.of(
                                                        "type",
                                                        "string",
                                                        "enum",
                                                        List.of("tenant_user", "tenant_admin", "auditor")),
                                        "scopes",
                                                Map.of(
                                                        "type",
                                                        "array",
                                                        "items",
                                                        Map.of(
                                                                "type",
                                                                "string",
                                                                "enum",
                                                                List.of("ingest", "query", "audit"))),
                                        "ttl_seconds",
                                                Map.of(
                                                        "type", "integer", "minimum", 300, "maximum", 7776000,
                                                        "default", 86400))));
        schemas.put(
                "ReasonRequest",
                Map.of(
                        "type", "object",
                        "required", List.of("reason"),
                        "properties", Map.of("reason", Map.of("type", "string", "minLength", 1, "maxLength", 500))));
        schemas.put(
                "RebuildIndexRequest",
                object(
                        List.of("reason"),
                        Map.of(
                                "reason", Map.of("type", "string", "minLength", 1, "maxLength", 500),
                                "embedding_profile", Map.of("type", "string", "maxLength", 64))));
        schemas.put(
                "CreateTenantRequest",
                object(
                        List.of("tenant_name", "contact_email", "tier"),
                        Map.of(
                                "tenant_name", Map.of("type", "string", "maxLength", 200),
                                "contact_email", Map.of("type", "string", "maxLength", 254),
                                "tier", Map.of("type", "string", "enum", List.of("standard", "premium", "enterprise")),
                                "tenant_id", Map.of("type", "string", "pattern", "^[a-z][a-z0-9-]{1,30}[a-z0-9]$"),
                                "provision", Map.of("type", "boolean", "default", true),
                                "config", Map.of("type", "object"))));
        schemas.put(
                "ResolveReviewRequest",
                object(
                        List.of("classification"),
                        Map.of(
                                "classification", Map.of("type", "string"),
                                "note", Map.of("type", "string", "maxLength", 500))));
        schemas.put(
                "SearchRequest",
                object(
                        List.of("query_text"),
                        Map.of(
                                "query_text", Map.of("type", "string", "minLength", 1, "maxLength", 10000),
                                "top_k", Map.of("type", "integer", "minimum", 1),
                                "mode", Map.of("type", "string", "enum", List.of("hybrid", "vector", "keyword")),
                                "filters", Map.of("type", "object"),
                                "include_generation", Map.of("type", "boolean", "default", false))));
        schemas.put(
                "PatchTenantRequest",
                object(
                        List.of(),
                        Map.of(
                                "config", Map.of("type", "object"),
                                "tier", Map.of("type", "string", "enum", List.of("standard", "premium", "enterprise")),
                                "reason", Map.of("type", "string", "maxLength", 500))));
        schemas.put(
                "DeprovisionRequest",
                object(
                        List.of("reason", "confirm", "confirm_tenant_id"),
                        Map.of(
                                "reason", Map.of("type", "string", "maxLength", 500),
                                "confirm", Map.of("type", "boolean"),
                                "confirm_tenant_id", Map.of("type", "string"))));
        schemas.put(
                "AbandonRequest",
                object(
                        List.of("reason", "confirm_tenant_id"),
                        Map.of(
                                "reason", Map.of("type", "string", "maxLength", 500),
                                "confirm_tenant_id", Map.of("type", "string"))));
        schemas.put(
                "DeadLetterAbandonRequest",
                object(
                        List.of("reason"),
                        Map.of(
                                "reason", Map.of("type", "string", "minLength", 1, "maxLength", 500),
                                "resolution",
                                        Map.of(
                                                "type",
                                                "string",
                                                "enum",
                                                List.of("skipped", "manual_fix"),
                                                "default",
                                                "skipped"))));
        schemas.put(
                "AuditExportRequest",
                object(
                        List.of("start_date", "end_date"),
                        Map.of(
                                "start_date", Map.of("type", "string", "format", "date"),
                                "end_date", Map.of("type", "string", "format", "date"),
                                "event_types", Map.of("type", "array", "items", Map.of("type", "string")),
                                "format", Map.of("type", "string", "enum", List.of("jsonl", "csv"), "default", "jsonl"),
                                "include_details", Map.of("type", "boolean", "default", true))));
        return Map.of(
                "securitySchemes",
                Map.of("bearerAuth", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT")),
                "schemas",
                schemas);
    }

    private static Map<String, Object> object(List<String> required, Map<String, Object> properties) {
        return Map.of("type", "object", "required", required, "properties", new TreeMap<>(properties));
    }

    private static List<String> errorCodes() {
        List<String> codes = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            if (!code.isFileReason()
                    && code != ErrorCode.CONFIG_INVALID
                    && code != ErrorCode.KEYS_DESTROYED
                    && code != ErrorCode.DECRYPTION_FAILED) {
                codes.add(code.name());
            }
        }
        return codes;
    }
}
