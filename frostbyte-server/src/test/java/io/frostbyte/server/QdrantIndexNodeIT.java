package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frostbyte.core.index.VectorIndexStep;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index.kind: qdrant} puts tenant indexes on the configured Qdrant server, never on a local Lucene index. No
 * Qdrant server can run on the build machines (the adapter's contract suite runs where {@code
 * FROSTBYTE_TEST_QDRANT_URL} names one), so this proves it the other way: with nothing listening at the configured
 * URL, provisioning fails at the vector index step and nothing is written under the data dir's tenant indexes.
 */
class QdrantIndexNodeIT {
    @TempDir
    Path dataDir;

    @Test
    void a_node_configured_for_qdrant_provisions_tenant_indexes_there_and_fails_closed_when_it_is_unreachable()
            throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestDatabase db = PostgresTestSupport.freshDatabase();
                FrostbyteNode node = TestNodes.start(
                        dataDir,
                        db,
                        Map.of(
                                "FROSTBYTE_INDEX__KIND",
                                "qdrant",
                                "FROSTBYTE_INDEX__QDRANT__URL",
                                "http://127.0.0.1:" + closedPort))) {
            ApiClient api = new ApiClient(node.url().orElseThrow());
            String admin = TestNodes.adminToken(node);
            ApiClient.Response created = api.postJson(
                    "/api/v1/admin/tenants",
                    admin,
                    "{\"tenant_id\":\"far-index-co\",\"tenant_name\":\"Far Index Co\","
                            + "\"contact_email\":\"ops@example.com\",\"tier\":\"standard\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.get("/api/v1/admin/tenants/far-index-co", admin)
                            .json()
                            .path("data")
                            .path("state")
                            .asText()
                            .equals("FAILED"));
            try (Connection control = node.database().database().dataSource().getConnection();
                    PreparedStatement select = control.prepareStatement("SELECT details->>'failed_step',"
                            + " details->>'error_code' FROM audit_events WHERE tenant_id = 'far-index-co'"
                            + " AND event_type = 'TENANT_PROVISION_FAILED'")) {
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo(VectorIndexStep.NAME);
                    assertThat(rows.getString(2)).isEqualTo("INDEX_FAILED");
                }
            }
            assertThat(dataDir.resolve("tenants/far-index-co/index")).doesNotExist();
        }
    }
}
