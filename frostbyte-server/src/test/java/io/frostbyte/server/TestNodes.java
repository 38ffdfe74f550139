package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the integration tests that drive a whole node share: starting it, creating an active tenant, a token. */
public final class TestNodes {
    private TestNodes() {}

    /**
     * A node on embedded defaults with its data in {@code dataDir} and its control database in {@code db}, on a random
     * port, with no clamd unless {@code settings} (environment-style keys, e.g. {@code FROSTBYTE_MALWARE__CLAMD_PORT})
     * says otherwise.
     */
    public static FrostbyteNode start(Path dataDir, TestDatabase db, Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "FROSTBYTE_DATA_DIR",
                dataDir.toString(),
                "FROSTBYTE_SERVER__PORT",
                "0",
                "FROSTBYTE_DB__URL",
                db.url().url(),
                "FROSTBYTE_MALWARE__CLAMD_PORT",
                "1"));
        environment.putAll(settings);
        FrostbyteConfig config = FrostbyteConfig.from(ConfigLoader.load(Optional.empty(), environment));
        return FrostbyteNode.start(config, Clock.systemUTC(), Map.of());
    }

    /** The platform admin token the node wrote at its first start. */
    public static String adminToken(FrostbyteNode node) throws IOException {
        return Files.readString(node.adminTokenFile()).strip();
    }

    /**
     * Creates a tenant through {@code POST /api/v1/admin/tenants} with {@code body}, waits until it is ACTIVE and
     * refreshes the node's tenant-state view.
     */
    public static void createTenant(FrostbyteNode node, ApiClient api, TenantId tenantId, String body)
            throws IOException {
        String admin = adminToken(node);
        ApiClient.Response created = api.postJson("/api/v1/admin/tenants", admin, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/api/v1/admin/tenants/" + tenantId.value(), admin)
                        .json()
                        .path("data")
                        .path("state")
                        .asText()
                        .equals("ACTIVE"));
        node.tenantCache().refresh();
    }

    /** A one-hour token of user "dana" for the tenant at its current key epoch. */
    public static String token(FrostbyteNode node, TenantId tenantId, Role role, Set<Scope> scopes) {
        long epoch = node.registry().find(tenantId).orElseThrow().keyEpoch();
        return node.tokens()
                .issue("dana", tenantId, role, EnumSet.copyOf(scopes), Duration.ofHours(1), epoch)
                .token();
    }
}
