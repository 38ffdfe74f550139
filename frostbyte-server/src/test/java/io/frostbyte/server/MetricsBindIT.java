package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code metrics.bind}, /metrics moves to its own listener and leaves the API port. */
class MetricsBindIT {
    @TempDir
    Path dataDir;

    @Test
    void metrics_are_served_only_on_the_metrics_listener() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (TestDatabase db = PostgresTestSupport.freshDatabase();
                FrostbyteNode node = FrostbyteNode.start(
                        FrostbyteConfig.from(ConfigLoader.load(
                                Optional.empty(),
                                Map.of(
                                        "FROSTBYTE_DATA_DIR",
                                        dataDir.toString(),
                                        "FROSTBYTE_SERVER__PORT",
                                        "0",
                                        "FROSTBYTE_METRICS__BIND",
                                        "127.0.0.1:" + port,
                                        "FROSTBYTE_DB__URL",
                                        db.url().url()))),
                        Clock.systemUTC(),
                        Map.of())) {
            ApiClient api = new ApiClient(node.url().orElseThrow());
            assertThat(api.get("/metrics", null).status()).isEqualTo(404);

            ApiClient.Response metrics = new ApiClient(URI.create("http://127.0.0.1:" + port)).get("/metrics", null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("frostbyte_tenant_cache_age_seconds");
        }
    }
}
