package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.auth.TokenService;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API on a random port over a real PostgreSQL: envelopes, auth in spec order, limits, metrics, OpenAPI. */
class ApiIT {
    @TempDir
    static Path dataDir;

    private static TestDatabase db;
    private static FrostbyteNode node;
    private static ApiClient api;
    private static String adminToken;

    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");

    @BeforeAll
    static void start() throws Exception {
        db = PostgresTestSupport.freshDatabase();
        FrostbyteConfig config = FrostbyteConfig.from(ConfigLoader.load(
                Optional.empty(),
                Map.of(
                        "FROSTBYTE_DATA_DIR", dataDir.toString(),
                        "FROSTBYTE_SERVER__PORT", "0",
                        "FROSTBYTE_DB__URL", db.url().url())));
        node = FrostbyteNode.start(config, Clock.systemUTC(), Map.of());
        api = new ApiClient(node.url().orElseThrow());
        adminToken = Files.readString(node.adminTokenFile()).strip();
        node.registry().create(ACME, "Acme Corp", "ops@acme.example", "standard");
        node.registry().create(GLOBEX, "Globex", "ops@globex.example", "premium");
        node.tenantCache().refresh();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            AuditContent.assertNoneContains(
                    node.database().database().dataSource(),
                    "leaked token",
                    "Acme Corp",
                    "ops@acme.example",
                    "vendor-dana@",
                    adminToken);
            node.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static String token(TenantId tenant, Role role, Scope... scopes) {
        long epoch = node.registry().find(tenant).orElseThrow().keyEpoch();
        return node.tokens()
                .issue("test-user", tenant, role, EnumSet.of(scopes[0], scopes), Duration.ofHours(1), epoch)
                .token();
    }

    private static String limits(TenantId tenant) {
        return "/api/v1/ingest/" + tenant.value() + "/limits";
    }

    @Test
    void health_is_ok_with_postgres_and_the_object_store_up() {
        ApiClient.Response response = api.get("/health", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("shape").asText()).isEqualTo("embedded");
        assertThat(body.path("checks").path("postgres").path("status").asText()).isEqualTo("up");
        assertThat(body.path("checks").path("object_store").path("status").asText())
                .isEqualTo("up");
        assertThat(body.path("checks").path("malware_scanner").path("status").asText())
                .isEqualTo("skipped");
        assertThat(body.path("checked_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void ready_is_true_once_migrations_ran_and_the_tenant_cache_is_fresh() {
        ApiClient.Response response = api.get("/ready", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("ready").asBoolean()).isTrue();
    }

    @Test
    void every_response_carries_a_request_id_and_a_well_formed_client_id_is_kept() {
        ApiClient.Response generated = api.get("/health", null);
        assertThat(generated.header("X-Request-ID")).matches("[0-9a-f-]{36}");

        ApiClient.Response echoed = api.send(
                java.net.http.HttpRequest.newBuilder(node.url().orElseThrow().resolve(limits(ACME)))
                        .header("X-Request-ID", "client-req-0001"));
        assertThat(echoed.header("X-Request-ID")).isEqualTo("client-req-0001");
        assertThat(echoed.json().path("error").path("request_id").asText()).isEqualTo("client-req-0001");

        ApiClient.Response replaced = api.send(
                java.net.http.HttpRequest.newBuilder(node.url().orElseThrow().resolve("/health"))
                        .header("X-Request-ID", "bad id with spaces"));
        assertThat(replaced.header("X-Request-ID"))
                .isNotEqualTo("bad id with spaces")
                .matches("[0-9a-f-]{36}");
    }

    @Test
    void an_unknown_route_is_resource_not_found_in_the_error_envelope() {
        ApiClient.Response response = api.get("/api/v1/nothing-here", adminToken);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("RESOURCE_NOT_FOUND");
        assertThat(response.json().path("success").asBoolean(true)).isFalse();
        assertThat(response.json().path("error").path("details").isArray()).isTrue();
    }

    @Test
    void a_request_without_a_token_is_authentication_required() {
        ApiClient.Response response = api.get(limits(ACME), null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("AUTHENTICATION_REQUIRED");
        assertThat(response.json().path("error").path("request_id").asText())
                .isEqualTo(response.header("X-Request-ID"));
    }

    @Test
    void a_malformed_token_is_authentication_required() {
        for (String bad : List.of("not-a-jwt", "a.b.c", "eyJhbGciOiJub25lIn0.e30.")) {
            ApiClient.Response response = api.get(limits(ACME), bad);
            assertThat(response.status()).as(bad).isEqualTo(401);
            assertThat(response.errorCode()).isEqualTo("AUTHENTICATION_REQUIRED");
        }
        ApiClient.Response basic = api.send(
                java.net.http.HttpRequest.newBuilder(node.url().orElseThrow().resolve(limits(ACME)))
                        .header("Authorization", "Basic dXNlcjpwYXNz"));
        assertThat(basic.errorCode()).isEqualTo("AUTHENTICATION_REQUIRED");
    }

    @Test
    void a_token_with_a_wrong_signature_is_authentication_required() throws Exception {
        TokenService forger = TokenService.ed25519(
                "frostbyte", new OctetKeyPairGenerator(Curve.Ed25519).generate(), "x", Clock.systemUTC());
        String forged = forger.issue(
                        "mallory", TenantId.PLATFORM, Role.ADMIN, EnumSet.allOf(Scope.class), Duration.ofHours(1), 1)
                .token();

        ApiClient.Response response = api.get("/api/v1/admin/platform", forged);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("AUTHENTICATION_REQUIRED");
    }

    @Test
    void an_expired_token_is_token_expired() {
        TokenService past = FrostbyteNode.tokenService(
                node.config(), Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC));
        String expired = past.issue("u1", ACME, Role.TENANT_USER, Set.of(Scope.INGEST), Duration.ofHours(1), 1)
                .token();

        ApiClient.Response response = api.get(limits(ACME), expired);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.errorCode()).isEqualTo("TOKEN_EXPIRED");
    }

    @Test
    void another_tenants_path_is_insufficient_permissions() {
        ApiClient.Response response = api.get(limits(GLOBEX), token(ACME, Role.TENANT_ADMIN, Scope.INGEST));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("INSUFFICIENT_PERMISSIONS");
    }

    @Test
    void a_missing_scope_or_role_is_insufficient_permissions() {
        ApiClient.Response noScope = api.get(limits(ACME), token(ACME, Role.TENANT_USER, Scope.QUERY));
        assertThat(noScope.status()).isEqualTo(403);
        assertThat(noScope.errorCode()).isEqualTo("INSUFFICIENT_PERMISSIONS");

        ApiClient.Response notAdmin = api.get("/api/v1/admin/platform", token(ACME, Role.TENANT_ADMIN, Scope.INGEST));
        assertThat(notAdmin.errorCode()).isEqualTo("INSUFFICIENT_PERMISSIONS");

        String platformAuditor = node.tokens()
                .issue(
                        "aud-1",
                        TenantId.PLATFORM,
                        Role.AUDITOR,
                        Set.of(Scope.AUDIT),
                        Duration.ofHours(1),
                        node.registry().find(TenantId.PLATFORM).orElseThrow().keyEpoch())
                .token();
        assertThat(api.get("/api/v1/admin/platform", platformAuditor).errorCode())
                .isEqualTo("INSUFFICIENT_PERMISSIONS");
    }

    @Test
    void the_right_tenant_token_gets_its_limits() {
        ApiClient.Response response = api.get(limits(ACME), token(ACME, Role.TENANT_USER, Scope.INGEST));

        assertThat(response.status()).isEqualTo(200);
        JsonNode data = response.json().path("data");
        assertThat(data.path("max_batch_size").asInt()).isEqualTo(1000);
        assertThat(data.path("max_file_size_mb").asInt()).isEqualTo(500);
        assertThat(data.path("max_request_gb").asInt()).isEqualTo(100);
        assertThat(data.path("mime_allowlist")).hasSize(7);
        assertThat(response.header("X-RateLimit-Limit")).isEqualTo("100");
        assertThat(response.header("X-RateLimit-Remaining")).isNotNull();
    }

    @Test
    void a_platform_token_on_an_unknown_tenant_is_not_found() {
        assertThat(api.get(limits(TenantId.of("no-such-tenant")), adminToken).errorCode())
                .isEqualTo("RESOURCE_NOT_FOUND");
    }

    @Test
    void revoking_all_tokens_bumps_the_epoch_and_old_tokens_get_token_revoked() {
        TenantId tenant = TenantId.of("revoked-co");
        node.registry().create(tenant, "Revoked Co", "ops@revoked.example", "standard");
        node.tenantCache().refresh();
        String before = token(tenant, Role.TENANT_USER, Scope.INGEST);
        assertThat(api.get(limits(tenant), before).status()).isEqualTo(200);

        ApiClient.Response revoked = api.postJson(
                "/api/v1/admin/tenants/" + tenant.value() + "/tokens/revoke-all",
                adminToken,
                "{\"reason\":\"leaked token\"}");
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("data").path("key_epoch").asLong()).isEqualTo(2);

        ApiClient.Response stale = api.get(limits(tenant), before);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.errorCode()).isEqualTo("TOKEN_REVOKED");
        assertThat(api.get(limits(tenant), token(tenant, Role.TENANT_USER, Scope.INGEST))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void a_suspended_tenant_is_refused_within_one_second_of_the_change() {
        TenantId tenant = TenantId.of("suspend-me");
        node.registry().create(tenant, "Suspend Me", "ops@suspend.example", "standard");
        node.tenantCache().refresh();
        String adminOnTenant = adminToken;
        assertThat(api.get(limits(tenant), adminOnTenant).status()).isEqualTo(200);

        long changed = System.nanoTime();
        node.registry().setState(tenant, TenantState.SUSPENDED);
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> api.get(limits(tenant), adminOnTenant).status() == 403);
        assertThat((System.nanoTime() - changed) / 1e9).isLessThan(1.0);

        ApiClient.Response refused = api.get(limits(tenant), adminOnTenant);
        assertThat(refused.errorCode()).isEqualTo("TENANT_SUSPENDED");
    }

    @Test
    void an_admin_issues_a_tenant_token_the_api_accepts() {
        ApiClient.Response issued = api.postJson(
                "/api/v1/admin/tenants/acme-corp/tokens",
                adminToken,
                "{\"sub\":\"vendor-dana\",\"role\":\"tenant_admin\",\"scopes\":[\"ingest\",\"query\"],\"ttl_seconds\":3600}");

        assertThat(issued.status()).isEqualTo(201);
        JsonNode data = issued.json().path("data");
        assertThat(data.path("key_epoch").asLong()).isEqualTo(1);
        assertThat(data.path("jti").asText()).matches("[0-9a-f-]{36}");
        assertThat(api.get(limits(ACME), data.path("token").asText()).status()).isEqualTo(200);
    }

    @Test
    void bad_token_requests_get_validation_errors_naming_the_field() {
        ApiClient.Response badRole = api.postJson(
                "/api/v1/admin/tenants/acme-corp/tokens",
                adminToken,
                "{\"sub\":\"u\",\"role\":\"admin\",\"scopes\":[\"admin\"]}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(badRole.json()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("role");

        ApiClient.Response badTtl = api.postJson(
                "/api/v1/admin/tenants/acme-corp/tokens",
                adminToken,
                "{\"sub\":\"u\",\"role\":\"tenant_user\",\"scopes\":[\"query\"],\"ttl_seconds\":10}");
        assertThat(badTtl.json()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("ttl_seconds");

        ApiClient.Response unknownField = api.postJson(
                "/api/v1/admin/tenants/acme-corp/tokens",
                adminToken,
                "{\"sub\":\"u\",\"role\":\"tenant_user\",\"scopes\":[\"query\"],\"is_admin\":true}");
        assertThat(unknownField.errorCode()).isEqualTo("VALIDATION_ERROR");

        ApiClient.Response notJson = api.postJson("/api/v1/admin/tenants/acme-corp/tokens", adminToken, "{\"sub\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorCode()).isEqualTo("VALIDATION_ERROR");

        ApiClient.Response otherTenant = api.postJson(
                "/api/v1/admin/tenants/no-such-co/tokens",
                adminToken,
                "{\"sub\":\"u\",\"role\":\"tenant_user\",\"scopes\":[\"query\"]}");
        assertThat(otherTenant.status()).isEqualTo(404);
    }

    @Test
    void an_oversized_body_is_payload_too_large_and_a_wrong_content_type_is_unsupported() {
        byte[] big = ("{\"reason\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes();
        ApiClient.Response tooLarge =
                api.post("/api/v1/admin/tenants/acme-corp/tokens/revoke-all", adminToken, "application/json", big);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");

        ApiClient.Response wrongType = api.post(
                "/api/v1/admin/tenants/acme-corp/tokens/revoke-all", adminToken, "text/plain", "reason=x".getBytes());
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(node.registry().find(ACME).orElseThrow().keyEpoch())
                .as("nothing was half-done")
                .isEqualTo(1);
    }

    @Test
    void the_ingest_rate_limit_answers_429_with_retry_after() {
        TenantId tenant = TenantId.of("busy-vendor");
        node.registry().create(tenant, "Busy", "ops@busy.example", "standard");
        node.tenantCache().refresh();
        String token = token(tenant, Role.TENANT_USER, Scope.INGEST);
        for (int i = 0; i < 100; i++) {
            assertThat(api.get(limits(tenant), token).status())
                    .as("request %d", i + 1)
                    .isEqualTo(200);
        }
        // the bucket refills 100/min (one token every 0.6 s) while the loop runs, so a few more may pass
        ApiClient.Response limited = api.get(limits(tenant), token);
        for (int extra = 0; limited.status() == 200 && extra < 10; extra++) {
            limited = api.get(limits(tenant), token);
        }

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isGreaterThanOrEqualTo(1);
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(api.get(limits(ACME), token(ACME, Role.TENANT_USER, Scope.INGEST))
                        .status())
                .as("other tenants are unaffected")
                .isEqualTo(200);
        assertThat(api.get("/metrics", null).body())
                .contains("frostbyte_api_rate_limit_rejections_total{area=\"ingest\"");
    }

    @Test
    void the_openapi_document_describes_every_route_that_exists() {
        JsonNode document = api.get("/api/v1/openapi.json", null).json();

        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new HashSet<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(method -> documented.add(method.getKey().toUpperCase() + " " + path.getKey())));
        List<String> served = new ArrayList<>();
        node.routes().forEach(route -> served.add(route.method().name() + " " + route.path()));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
        assertThat(document.path("paths")
                        .path("/api/v1/ingest/{tenant_id}/limits")
                        .path("get")
                        .path("x-frostbyte-scope")
                        .asText())
                .isEqualTo("ingest");
    }

    @Test
    void metrics_expose_jvm_and_api_request_figures_by_route_template() {
        api.get(limits(ACME), token(ACME, Role.TENANT_USER, Scope.INGEST));
        String metrics = api.get("/metrics", null).body();

        assertThat(metrics).contains("jvm_memory_used_bytes");
        assertThat(metrics)
                .contains(
                        "frostbyte_api_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/ingest/{tenant_id}/limits\",status_code=\"200\"}");
        assertThat(metrics).contains("frostbyte_tenant_cache_age_seconds");
        assertThat(metrics).contains("frostbyte_job_queue_depth{stage=\"parse\"}");
        assertThat(metrics).contains("frostbyte_dlq_depth{stage=\"embed\"}");
        assertThat(metrics).contains("frostbyte_health_check_up{check=\"postgres\"}");
        assertThat(metrics).doesNotContain("acme-corp/limits");
    }

    @Test
    void the_first_start_writes_an_owner_only_admin_token_the_api_accepts() throws Exception {
        assertThat(node.adminTokenCreated()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.adminTokenFile())))
                .isEqualTo("rw-------");

        ApiClient.Response platform = api.get("/api/v1/admin/platform", adminToken);
        assertThat(platform.status()).isEqualTo(200);
        JsonNode data = platform.json().path("data");
        assertThat(data.path("shape").asText()).isEqualTo("embedded");
        assertThat(data.path("tenants_by_state").path("ACTIVE").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(data.path("signing_key_ids").get(0).asText()).matches("ed25519:[0-9a-f]{16}");
    }

    @Test
    void public_keys_are_listed_without_authentication() {
        JsonNode keys = api.get("/api/v1/keys", null).json().path("data").path("keys");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0).path("purpose").asText()).isEqualTo("signing");
        assertThat(keys.get(1).path("purpose").asText()).isEqualTo("audit");
        assertThat(keys.get(0).path("key_id").asText()).matches("ed25519:[0-9a-f]{16}");
        assertThat(java.util.Base64.getDecoder()
                        .decode(keys.get(0).path("public_key").asText()))
                .hasSize(32);
    }
}
