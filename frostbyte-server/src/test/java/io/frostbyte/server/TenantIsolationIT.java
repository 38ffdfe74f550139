package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import io.frostbyte.server.http.Route;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation over the whole route table: a token of tenant A, whatever its role and scopes, gets 403 on every
 * tenant-scoped route of tenant B. New routes are covered as soon as they are added to the table.
 */
class TenantIsolationIT {
    @TempDir
    static Path dataDir;

    private static TestDatabase db;
    private static FrostbyteNode node;
    private static ApiClient api;

    private static final TenantId A = TenantId.of("tenant-a");
    private static final TenantId B = TenantId.of("tenant-b");

    @BeforeAll
    static void start() {
        db = PostgresTestSupport.freshDatabase();
        node = FrostbyteNode.start(
                FrostbyteConfig.from(ConfigLoader.load(
                        Optional.empty(),
                        Map.of(
                                "FROSTBYTE_DATA_DIR", dataDir.toString(),
                                "FROSTBYTE_SERVER__PORT", "0",
                                "FROSTBYTE_DB__URL", db.url().url()))),
                Clock.systemUTC(),
                Map.of());
        api = new ApiClient(node.url().orElseThrow());
        node.registry().create(A, "Tenant A", "ops@a.example", "standard");
        node.registry().create(B, "Tenant B", "ops@b.example", "standard");
        node.tenantCache().refresh();
    }

    @AfterAll
    static void stop() {
        node.close();
        db.close();
    }

    private static String token(Role role, Set<Scope> scopes) {
        return node.tokens()
                .issue("a-user", A, role, scopes, Duration.ofHours(1), 1)
                .token();
    }

    private static String concretePath(Route route, TenantId tenant) {
        String path = route.path().replace("{tenant_id}", tenant.value());
        return path.replaceAll("\\{[a-z_]+}", "019cae0b-d6bc-7af2-908e-b2deefb665ad");
    }

    @Test
    void a_token_of_one_tenant_gets_403_on_every_tenant_scoped_route_of_another() {
        List<Route> tenantRoutes = node.routes().stream()
                .filter(route -> route.path().contains("{tenant_id}"))
                .toList();
        assertThat(tenantRoutes).as("the route table has tenant-scoped routes").isNotEmpty();
        List<String> tokens = List.of(
                token(Role.TENANT_ADMIN, EnumSet.of(Scope.INGEST, Scope.QUERY, Scope.AUDIT)),
                token(Role.TENANT_USER, EnumSet.of(Scope.INGEST, Scope.QUERY)),
                token(Role.AUDITOR, EnumSet.of(Scope.AUDIT)));

        List<String> leaks = new ArrayList<>();
        for (Route route : tenantRoutes) {
            for (String token : tokens) {
                HttpRequest.Builder request = HttpRequest.newBuilder(
                                node.url().orElseThrow().resolve(concretePath(route, B)))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(
                                route.method().name(),
                                route.method().name().equals("GET")
                                                || route.method().name().equals("DELETE")
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString("{}"));
                ApiClient.Response response = api.send(request);
                if (response.status() != 403 || !response.errorCode().equals("INSUFFICIENT_PERMISSIONS")) {
                    leaks.add(route.method() + " " + route.path() + " -> " + response.status() + " " + response.body());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void the_same_tokens_are_not_refused_for_isolation_on_their_own_tenant() {
        String own = token(Role.TENANT_ADMIN, EnumSet.of(Scope.INGEST, Scope.QUERY, Scope.AUDIT));
        ApiClient.Response response = api.get("/api/v1/ingest/" + A.value() + "/limits", own);
        assertThat(response.status()).isEqualTo(200);
    }
}
