package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill-switch across nodes (spec/07 TEN-1..TEN-5): two API nodes share one database and key material; a suspend
 * through node 1 revokes the tenant's tokens on node 2 within 1 s.
 */
class KillSwitchIT {
    @TempDir
    static Path dataDir;

    private static TestDatabase db;
    private static FrostbyteNode first;
    private static FrostbyteNode second;
    private static String adminToken;

    private static FrostbyteNode node() {
        return FrostbyteNode.start(
                FrostbyteConfig.from(ConfigLoader.load(
                        Optional.empty(),
                        Map.of(
                                "FROSTBYTE_DATA_DIR", dataDir.toString(),
                                "FROSTBYTE_SERVER__PORT", "0",
                                "FROSTBYTE_DB__URL", db.url().url()))),
                Clock.systemUTC(),
                Map.of());
    }

    @BeforeAll
    static void start() throws Exception {
        db = PostgresTestSupport.freshDatabase();
        first = node();
        second = node();
        adminToken = Files.readString(first.adminTokenFile()).strip();
    }

    @AfterAll
    static void stop() throws Exception {
        AuditContent.assertNoneContains(
                first.database().database().dataSource(),
                "Kill Co",
                "ops@kill.example",
                "incident 42",
                "fixed",
                adminToken);
        second.close();
        first.close();
        db.close();
    }

    @Test
    void a_suspend_on_one_node_revokes_the_tenants_tokens_on_the_other_within_one_second() throws Exception {
        ApiClient one = new ApiClient(first.url().orElseThrow());
        ApiClient two = new ApiClient(second.url().orElseThrow());
        TenantId tenant = TenantId.of("kill-co");
        ApiClient.Response created = one.postJson(
                "/api/v1/admin/tenants",
                adminToken,
                "{\"tenant_id\":\"kill-co\",\"tenant_name\":\"Kill Co\",\"contact_email\":\"ops@kill.example\",\"tier\":\"standard\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> one.get("/api/v1/admin/tenants/kill-co", adminToken)
                        .json()
                        .path("data")
                        .path("state")
                        .asText()
                        .equals("ACTIVE"));
        second.tenantCache().refresh();
        String vendorToken = second.tokens()
                .issue(
                        "vendor",
                        tenant,
                        Role.TENANT_ADMIN,
                        EnumSet.of(Scope.INGEST),
                        Duration.ofHours(1),
                        second.registry().find(tenant).orElseThrow().keyEpoch())
                .token();
        String limits = "/api/v1/ingest/kill-co/limits";
        assertThat(two.get(limits, vendorToken).status()).isEqualTo(200);

        long started = System.nanoTime();
        ApiClient.Response suspended =
                one.postJson("/api/v1/admin/tenants/kill-co/suspend", adminToken, "{\"reason\":\"incident 42\"}");
        long committed = System.nanoTime();
        assertThat(suspended.status()).as(suspended.body()).isEqualTo(200);
        assertThat(suspended.json().path("data").path("current_state").asText()).isEqualTo("SUSPENDED");

        ApiClient.Response onSecond;
        do {
            onSecond = two.get(limits, vendorToken);
        } while (onSecond.status() == 200
                && System.nanoTime() - committed < Duration.ofSeconds(2).toNanos());
        double propagationSeconds = (System.nanoTime() - committed) / 1e9;
        System.out.printf(
                "kill-switch propagation to the second node: %.3f s (suspend call took %.3f s)%n",
                propagationSeconds, (committed - started) / 1e9);

        assertThat(onSecond.status()).isEqualTo(401);
        assertThat(onSecond.errorCode()).isEqualTo("TOKEN_REVOKED");
        assertThat(propagationSeconds).isLessThan(1.0);
        ApiClient.Response platformOnSuspended = two.get(limits, adminToken);
        assertThat(platformOnSuspended.errorCode()).isEqualTo("TENANT_SUSPENDED");

        ApiClient.Response resumed =
                one.postJson("/api/v1/admin/tenants/kill-co/resume", adminToken, "{\"reason\":\"fixed\"}");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        second.tenantCache().refresh();
        assertThat(two.get(limits, vendorToken).errorCode())
                .as("old tokens stay revoked")
                .isEqualTo("TOKEN_REVOKED");
        String fresh = second.tokens()
                .issue(
                        "vendor",
                        tenant,
                        Role.TENANT_ADMIN,
                        EnumSet.of(Scope.INGEST),
                        Duration.ofHours(1),
                        second.registry().find(tenant).orElseThrow().keyEpoch())
                .token();
        assertThat(two.get(limits, fresh).status()).isEqualTo(200);
    }
}
