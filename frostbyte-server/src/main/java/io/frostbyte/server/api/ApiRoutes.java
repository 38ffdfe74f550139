package io.frostbyte.server.api;

import static io.frostbyte.server.http.Route.get;
import static io.frostbyte.server.http.Route.patch;
import static io.frostbyte.server.http.Route.post;

import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.server.auth.AccessRule;
import io.frostbyte.server.http.Route;
import io.frostbyte.server.ratelimit.RateLimitArea;
import java.util.List;

/** Every route the API serves, in one table: the server and the OpenAPI document are both built from it. */
public final class ApiRoutes {
    private ApiRoutes() {}

    public static List<Route> build(
            SystemController system,
            AdminController admin,
            TenantAdminController tenants,
            AuditController audit,
            IngestController ingest,
            QueryController query,
            ReviewController reviews,
            boolean metricsOnApiPort) {
        List<Route> routes = new java.util.ArrayList<>(List.of(
                get("/health", system::health)
                        .operation("health", "Health of this node and its dependencies (spec/09 9.5)")
                        .tag("system")
                        .responses(200, 503)
                        .build(),
                get("/ready", system::ready)
                        .operation("ready", "Readiness: migrations applied, database reachable, tenant cache fresh")
                        .tag("system")
                        .responses(200, 503)
                        .build(),
                get("/api/v1/openapi.json", system::openApi)
                        .operation("openapi", "This OpenAPI document")
                        .tag("system")
                        .build(),
                get("/api/v1/keys", system::keys)
                        .operation("listPublicKeys", "Public keys that verify proofs, receipts and audit checkpoints")
                        .tag("system")
                        .build(),
                get("/api/v1/admin/platform", admin::platform)
                        .operation("getPlatform", "Version, shape, enabled types and tenants by state")
                        .tag("admin")
                        .access(AccessRule.platform(Scope.ADMIN, Role.ADMIN))
                        .rateLimit(RateLimitArea.ADMIN)
                        .build(),
                post("/api/v1/admin/tenants/{tenant_id}/tokens", admin::issueToken)
                        .operation("issueTenantToken", "Issue a token for a tenant role")
                        .tag("admin")
                        .access(AccessRule.platform(Scope.ADMIN, Role.ADMIN))
                        .rateLimit(RateLimitArea.ADMIN)
                        .requestBody("TokenRequest")
                        .responses(201, 400, 404, 409, 413, 415)
                        .build(),
                post("/api/v1/admin/tenants/{tenant_id}/tokens/revoke-all", tenants::revokeAll)
                        .operation(
                                "revokeAllTenantTokens",
                                "Bump the tenant's key epoch: every outstanding token is revoked")
                        .tag("admin")
                        .access(AccessRule.platform(Scope.ADMIN, Role.ADMIN))
                        .rateLimit(RateLimitArea.ADMIN)
                        .requestBody("ReasonRequest")
                        .responses(200, 400, 404, 409, 413, 415)
                        .build()));
        routes.addAll(ingestRoutes(ingest));
        routes.addAll(queryRoutes(query));
        routes.addAll(reviewRoutes(reviews));
        routes.addAll(tenantRoutes(tenants));
        routes.addAll(auditRoutes(audit));
        if (metricsOnApiPort) {
            routes.add(
                    2,
                    get("/metrics", system::metrics)
                            .operation("metrics", "Prometheus metrics")
                            .tag("system")
                            .produces("text/plain")
                            .build());
        }
        return List.copyOf(routes);
    }

    private static final String INGEST = "/api/v1/ingest/{tenant_id}";

    private static Route ingest(Route.Builder builder, boolean submit, Integer... statuses) {
        AccessRule access = submit
                ? AccessRule.tenant(Scope.INGEST, Role.TENANT_ADMIN, Role.ADMIN)
                : AccessRule.tenant(Scope.INGEST, Role.TENANT_USER, Role.TENANT_ADMIN, Role.ADMIN);
        return builder.tag("ingest")
                .access(access)
                .rateLimit(RateLimitArea.INGEST)
                .responses(statuses)
                .build();
    }

    private static List<Route> ingestRoutes(IngestController i) {
        return List.of(
                ingest(
                        post(INGEST + "/batch", i::submit)
                                .operation(
                                        "submitBatch",
                                        "Upload a batch: multipart/form-data with a manifest part, then one files part"
                                                + " per manifest entry (spec/01)"),
                        true,
                        202,
                        400,
                        403,
                        409,
                        413,
                        415,
                        503),
                ingest(
                        get(INGEST + "/limits", i::limits).operation("getIntakeLimits", "The tenant's intake limits"),
                        false,
                        200,
                        404),
                ingest(
                        get(INGEST + "/batches", i::batches).operation("listBatches", "The tenant's batches"),
                        false,
                        200,
                        400),
                ingest(
                        get(INGEST + "/batch/{batch_id}", i::batch)
                                .operation("getBatch", "Batch status with every file's stages"),
                        false,
                        200,
                        404),
                ingest(
                        get(INGEST + "/batch/{batch_id}/events", i::events)
                                .operation("streamBatchEvents", "Server-sent events of the batch's stage changes")
                                .produces("text/event-stream"),
                        false,
                        200,
                        404,
                        429),
                ingest(
                        get(INGEST + "/batch/{batch_id}/report", i::report)
                                .operation(
                                        "getBatchReport",
                                        "The acceptance report (format json, md, csv or html; version)"),
                        false,
                        200,
                        400,
                        404,
                        409),
                ingest(
                        get(INGEST + "/receipt/{receipt_id}", i::receipt)
                                .operation("getReceipt", "A signed file receipt"),
                        false,
                        200,
                        404));
    }

    private static final String QUERY = "/api/v1/query/{tenant_id}";

    private static Route query(Route.Builder builder, Integer... statuses) {
        return builder.tag("query")
                .access(AccessRule.tenant(Scope.QUERY, Role.TENANT_USER, Role.TENANT_ADMIN, Role.ADMIN))
                .rateLimit(RateLimitArea.QUERY)
                .responses(statuses)
                .build();
    }

    private static List<Route> queryRoutes(QueryController q) {
        return List.of(
                query(
                        post(QUERY + "/search", q::search)
                                .operation("search", "Hybrid search with a signed retrieval proof (spec/05)")
                                .requestBody("SearchRequest"),
                        200,
                        400,
                        413,
                        415,
                        503),
                query(
                        get(QUERY + "/documents", q::documents).operation("listDocuments", "The tenant's documents"),
                        200,
                        400),
                query(
                        get(QUERY + "/document/{doc_id}", q::document)
                                .operation("getDocument", "A document with its chunks and lineage"),
                        200,
                        404),
                query(
                        get(QUERY + "/chunk/{chunk_id}", q::chunk)
                                .operation("getChunk", "An indexed chunk with its enrichment and embedding"),
                        200,
                        404));
    }

    private static List<Route> reviewRoutes(ReviewController r) {
        return List.of(
                ingest(
                        get(INGEST + "/reviews", r::list).operation("listReviews", "The classification review queue"),
                        true,
                        200,
                        400),
                ingest(
                        post(INGEST + "/reviews/{review_id}/resolve", r::resolve)
                                .operation("resolveReview", "Set a document's classification (human override)")
                                .requestBody("ResolveReviewRequest"),
                        true,
                        200,
                        400,
                        404,
                        409,
                        413,
                        415),
                admin(
                        get("/api/v1/admin/tenants/{tenant_id}/documents/{doc_id}/redactions", r::redactions)
                                .operation(
                                        "getRedactionOriginals",
                                        "Redaction originals of a document (reason required; audited)"),
                        null,
                        200,
                        400,
                        404));
    }

    private static final String TENANT = "/api/v1/admin/tenants/{tenant_id}";

    private static Route admin(Route.Builder builder, String body, Integer... statuses) {
        builder.tag("admin")
                .access(AccessRule.platform(Scope.ADMIN, Role.ADMIN))
                .rateLimit(RateLimitArea.ADMIN)
                .responses(statuses);
        if (body != null) {
            builder.requestBody(body);
        }
        return builder.build();
    }

    private static List<Route> tenantRoutes(TenantAdminController t) {
        return List.of(
                admin(
                        post("/api/v1/admin/tenants", t::create)
                                .operation("createTenant", "Register a tenant and provision it"),
                        "CreateTenantRequest",
                        201,
                        400,
                        409,
                        413,
                        415),
                admin(get("/api/v1/admin/tenants", t::list).operation("listTenants", "List tenants"), null, 200, 400),
                admin(
                        get(TENANT, t::get)
                                .operation("getTenant", "A tenant, with its deletion receipt once deprovisioned"),
                        null,
                        200,
                        404),
                admin(
                        patch(TENANT, t::patch).operation("updateTenant", "Change a tenant's configuration or tier"),
                        "PatchTenantRequest",
                        200,
                        400,
                        404,
                        409),
                admin(
                        get(TENANT + "/provisioning", t::provisioning)
                                .operation("getProvisioning", "Provisioning steps and leftovers"),
                        null,
                        200,
                        404),
                admin(
                        post(TENANT + "/provision", t::provision)
                                .operation("provisionTenant", "Provision a PENDING tenant"),
                        null,
                        202,
                        404,
                        409),
                admin(
                        post(TENANT + "/retry", t::retry).operation("retryProvisioning", "Retry a failed provisioning"),
                        null,
                        202,
                        404,
                        409),
                admin(
                        post(TENANT + "/abandon", t::abandon).operation("abandonTenant", "Deprovision a FAILED tenant"),
                        "AbandonRequest",
                        202,
                        400,
                        404,
                        409),
                admin(
                        post(TENANT + "/suspend", t::suspend)
                                .operation("suspendTenant", "Kill-switch: revoke tokens, pause jobs, block the API"),
                        "ReasonRequest",
                        200,
                        400,
                        404,
                        409),
                admin(
                        post(TENANT + "/resume", t::resume).operation("resumeTenant", "Resume a suspended tenant"),
                        "ReasonRequest",
                        200,
                        400,
                        404,
                        409),
                admin(
                        post(TENANT + "/deprovision", t::deprovision)
                                .operation("deprovisionTenant", "Delete the tenant's stores and crypto-shred its keys"),
                        "DeprovisionRequest",
                        202,
                        400,
                        404,
                        409),
                admin(
                        get(TENANT + "/keys", t::keys).operation("getTenantKeys", "The tenant's KEK versions"),
                        null,
                        200,
                        404),
                admin(
                        post(TENANT + "/keys/rotate", t::rotateKey)
                                .operation("rotateTenantKey", "Make a new KEK version primary"),
                        "ReasonRequest",
                        202,
                        400,
                        404,
                        409));
    }

    /**
     * The dead-letter and embedding-halt routes of {@code /api/v1/admin} (spec/08 §8.6, spec/09 §9.1), served and
     * documented next to those of {@link #build}.
     */
    public static List<Route> operations(DeadLetterController deadLetters, EmbeddingController embedding) {
        return List.of(
                admin(
                        get("/api/v1/admin/dead-letters", deadLetters::list)
                                .operation(
                                        "listDeadLetters",
                                        "Dead letters by tenant_id, stage and status (default pending_review)"),
                        null,
                        200,
                        400),
                admin(
                        get(TENANT + "/dead-letters/{dlq_entry_id}", deadLetters::get)
                                .operation("getDeadLetter", "A tenant's dead-letter entry"),
                        null,
                        200,
                        404),
                admin(
                        post(TENANT + "/dead-letters/{dlq_entry_id}/retry", deadLetters::retry)
                                .operation(
                                        "retryDeadLetter",
                                        "Queue the entry's stage again with attempts reset (reason optional)"),
                        null,
                        202,
                        400,
                        404,
                        409),
                admin(
                        post(TENANT + "/dead-letters/{dlq_entry_id}/abandon", deadLetters::abandon)
                                .operation("abandonDeadLetter", "Close the entry as skipped or manual_fix"),
                        "DeadLetterAbandonRequest",
                        200,
                        400,
                        404,
                        409,
                        413,
                        415),
                admin(
                        post(TENANT + "/embedding/resume", embedding::resume)
                                .operation(
                                        "resumeEmbedding",
                                        "Clear the tenant's embedding halt after a dimension mismatch"),
                        "ReasonRequest",
                        200,
                        400,
                        404,
                        409,
                        413,
                        415));
    }

    /** The tenant index routes: generations and rebuild (spec/04 §4.5). */
    public static List<Route> indexRoutes(IndexAdminController i) {
        return List.of(
                admin(
                        post(TENANT + "/index/rebuild", i::rebuild)
                                .operation(
                                        "rebuildTenantIndex",
                                        "Re-embed the tenant's chunks into a new index generation and switch to it"),
                        "RebuildIndexRequest",
                        202,
                        400,
                        404,
                        409,
                        413,
                        415),
                admin(
                        get(TENANT + "/index", i::get)
                                .operation("getTenantIndex", "The tenant's index generations and a rebuild's progress"),
                        null,
                        200,
                        404));
    }

    private static final String AUDIT = "/api/v1/audit/{tenant_id}";

    private static Route audit(Route.Builder builder, Integer... statuses) {
        return builder.tag("audit")
                .access(AccessRule.tenant(Scope.AUDIT, Role.AUDITOR, Role.ADMIN, Role.TENANT_ADMIN)
                        .whileSuspended()
                        .orPlatform())
                .rateLimit(RateLimitArea.AUDIT)
                .responses(statuses)
                .build();
    }

    private static List<Route> auditRoutes(AuditController a) {
        return List.of(
                audit(
                        get(AUDIT + "/events", a::events)
                                .operation("listAuditEvents", "Audit events with filters, pages or a cursor"),
                        200,
                        400),
                audit(
                        get(AUDIT + "/events/{event_id}", a::event)
                                .operation("getAuditEvent", "One event with its lineage position"),
                        200,
                        404),
                audit(
                        get(AUDIT + "/chain/{resource_id}", a::chainOf)
                                .operation("getProvenanceChain", "A resource's provenance chain, verified"),
                        200,
                        404),
                audit(
                        get(AUDIT + "/verify", a::verify)
                                .operation("verifyAuditChain", "Verify the tenant's hash chain and checkpoints"),
                        200,
                        400),
                audit(
                        get(AUDIT + "/checkpoints", a::checkpoints).operation("listCheckpoints", "Signed checkpoints"),
                        200,
                        400),
                audit(
                        post(AUDIT + "/export", a::requestExport)
                                .operation("exportAudit", "Start an asynchronous export (JSONL or CSV)")
                                .requestBody("AuditExportRequest"),
                        202,
                        400,
                        413,
                        415),
                audit(
                        get(AUDIT + "/export/{export_id}", a::exportStatus)
                                .operation("getAuditExport", "Export status"),
                        200,
                        404),
                audit(
                        get(AUDIT + "/export/{export_id}/download", a::download)
                                .operation("downloadAuditExport", "The signed archive")
                                .produces("application/gzip"),
                        200,
                        404,
                        409,
                        410));
    }
}
