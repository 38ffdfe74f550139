package io.frostbyte.server.api;

import static io.frostbyte.server.http.Route.get;
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
            SystemController system, AdminController admin, IngestController ingest, boolean metricsOnApiPort) {
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
                get("/api/v1/ingest/{tenant_id}/limits", ingest::limits)
                        .operation("getIntakeLimits", "The tenant's intake limits")
                        .tag("ingest")
                        .access(AccessRule.tenant(Scope.INGEST, Role.TENANT_USER, Role.TENANT_ADMIN, Role.ADMIN))
                        .rateLimit(RateLimitArea.INGEST)
                        .responses(200, 404)
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
                post("/api/v1/admin/tenants/{tenant_id}/tokens/revoke-all", admin::revokeAllTokens)
                        .operation(
                                "revokeAllTenantTokens",
                                "Bump the tenant's key epoch: every outstanding token is revoked")
                        .tag("admin")
                        .access(AccessRule.platform(Scope.ADMIN, Role.ADMIN))
                        .rateLimit(RateLimitArea.ADMIN)
                        .requestBody("ReasonRequest")
                        .responses(200, 400, 404, 409, 413, 415)
                        .build()));
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
}
