package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded defaults: PostgreSQL under the data dir, keys and the admin token created once, kept across restarts. */
class EmbeddedRestartIT {
    @TempDir
    Path dataDir;

    private FrostbyteNode start() {
        return FrostbyteNode.start(
                FrostbyteConfig.from(ConfigLoader.load(
                        Optional.empty(),
                        Map.of("FROSTBYTE_DATA_DIR", dataDir.toString(), "FROSTBYTE_SERVER__PORT", "0"))),
                Clock.systemUTC(),
                Map.of());
    }

    @Test
    void a_restart_keeps_the_database_the_keys_and_the_admin_token() throws Exception {
        String firstToken;
        String firstSigningKey;
        try (FrostbyteNode node = start()) {
            assertThat(node.database().embedded()).isTrue();
            ApiClient api = new ApiClient(node.url().orElseThrow());
            assertThat(api.get("/health", null).json().path("status").asText()).isEqualTo("ok");
            node.registry().create(TenantId.of("kept-co"), "Kept Co", "ops@kept.example", "standard");
            firstToken = Files.readString(node.adminTokenFile()).strip();
            firstSigningKey = api.get("/api/v1/keys", null)
                    .json()
                    .path("data")
                    .path("keys")
                    .get(0)
                    .path("key_id")
                    .asText();
            assertThat(node.adminTokenCreated()).isTrue();
        }
        assertThat(dataDir.resolve("postgres")).isDirectory();
        assertThat(dataDir.resolve("run/postgres.port")).doesNotExist();

        try (FrostbyteNode node = start()) {
            ApiClient api = new ApiClient(node.url().orElseThrow());
            assertThat(node.adminTokenCreated()).isFalse();
            assertThat(Files.readString(node.adminTokenFile()).strip()).isEqualTo(firstToken);
            assertThat(node.registry().find(TenantId.of("kept-co"))).isPresent();
            assertThat(api.get("/api/v1/admin/platform", firstToken).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/keys", null)
                            .json()
                            .path("data")
                            .path("keys")
                            .get(0)
                            .path("key_id")
                            .asText())
                    .isEqualTo(firstSigningKey);
            assertThat(node.database().database().migrate())
                    .as("migrations are applied once")
                    .isZero();
        }
    }
}
