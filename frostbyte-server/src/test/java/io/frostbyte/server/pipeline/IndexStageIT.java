package io.frostbyte.server.pipeline;

import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.StoredPoint;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.ApiClient;
import io.frostbyte.server.FrostbyteNode;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import io.frostbyte.server.intake.ManifestJson;
import io.frostbyte.server.intake.Multipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embed and index stages on embedded defaults, for documents that share their text: each gets its own index job
 * and its own points, the second one's vectors come from the embedding cache, and the three stores agree afterwards.
 */
class IndexStageIT {
    private static final TenantId TENANT = TenantId.of("same-text-co");
    private static final String TEXT = "Quarterly maintenance plan\n\nThe pumps in hall two are serviced every March"
            + " and September. Filters are replaced after 2,000 operating hours, and the service log is kept in the"
            + " plant office.\n";

    @TempDir
    static Path dataDir;

    private static TestDatabase db;
    private static FrostbyteNode node;
    private static ApiClient api;
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        db = PostgresTestSupport.freshDatabase();
        FrostbyteConfig config = FrostbyteConfig.from(ConfigLoader.load(
                Optional.empty(),
                Map.of(
                        "FROSTBYTE_DATA_DIR",
                        dataDir.toString(),
                        "FROSTBYTE_SERVER__PORT",
                        "0",
                        "FROSTBYTE_DB__URL",
                        db.url().url(),
                        "FROSTBYTE_MALWARE__CLAMD_PORT",
                        "1")));
        node = FrostbyteNode.start(config, Clock.systemUTC(), Map.of());
        api = new ApiClient(node.url().orElseThrow());
        String admin = Files.readString(node.adminTokenFile()).strip();
        ApiClient.Response created = api.postJson(
                "/api/v1/admin/tenants",
                admin,
                "{\"tenant_id\":\"same-text-co\",\"tenant_name\":\"Same Text Co\",\"contact_email\":\"ops@example.com\","
                        + "\"tier\":\"standard\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> api.get("/api/v1/admin/tenants/same-text-co", admin)
                        .json()
                        .path("data")
                        .path("state")
                        .asText()
                        .equals("ACTIVE"));
        node.tenantCache().refresh();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void two_documents_with_the_same_text_are_both_indexed_and_the_second_reuses_the_cached_vectors() throws Exception {
        String token = token();
        byte[] utf8 = TEXT.getBytes(UTF_8);
        byte[] utf16 = TEXT.getBytes(UTF_16); // with a byte-order mark: other bytes, other doc_id, the same text

        String first = indexedDocument(token, "batch-utf8", "plan-utf8", "plan.txt", utf8);
        String second = indexedDocument(token, "batch-utf16", "plan-utf16", "plan-utf16.txt", utf16);

        assertThat(second).isNotEqualTo(first);
        try (Connection control = node.database().database().dataSource().getConnection()) {
            JsonNode firstEmbedded = embeddedDetails(control, first);
            JsonNode secondEmbedded = embeddedDetails(control, second);
            assertThat(firstEmbedded.path("cache_hits").asInt()).isZero();
            assertThat(secondEmbedded.path("chunk_count").asInt()).isPositive();
            assertThat(secondEmbedded.path("cache_hits").asInt())
                    .isEqualTo(secondEmbedded.path("chunk_count").asInt());
            // the same text gives the same vectors, so the same vector set, yet each document has its own index job
            assertThat(secondEmbedded.path("output_hash").asText())
                    .isEqualTo(firstEmbedded.path("output_hash").asText());
            assertThat(eventCount(control, first, "INDEX_WRITTEN")).isEqualTo(1);
            assertThat(eventCount(control, second, "INDEX_WRITTEN")).isEqualTo(1);
        }
        for (String docId : List.of(first, second)) {
            List<String> chunkIds = chunkIds(token, docId);
            assertThat(chunkIds).isNotEmpty();
            List<StoredPoint> points = node.vectorIndex().fetch(IndexNamespace.first(TENANT), chunkIds);
            assertThat(points).extracting(StoredPoint::chunkId).containsExactlyElementsOf(chunkIds);
            assertThat(points)
                    .allSatisfy(point -> assertThat(point.docId().value()).isEqualTo(docId));
        }
    }

    private String indexedDocument(String token, String batchId, String fileId, String name, byte[] content)
            throws Exception {
        ManifestJson manifest = new ManifestJson(batchId, TENANT.value()).add(fileId, name, "text/plain", content);
        ApiClient.Response submitted = api.post(
                "/api/v1/ingest/same-text-co/batch",
                token,
                Multipart.CONTENT_TYPE,
                new Multipart().manifest(manifest.json()).file(name, content).bytes());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String status = api.get("/api/v1/ingest/same-text-co/batch/" + batchId, token)
                            .json()
                            .path("data")
                            .path("status")
                            .asText();
                    return status.startsWith("COMPLETED") || status.equals("FAILED");
                });
        JsonNode file = api.get("/api/v1/ingest/same-text-co/batch/" + batchId, token)
                .json()
                .path("data")
                .path("files")
                .get(0);
        assertThat(file.path("file_status").asText()).as(file.toString()).isEqualTo("indexed");
        return file.path("doc_id").asText();
    }

    private static String token() {
        long epoch = node.registry().find(TENANT).orElseThrow().keyEpoch();
        return node.tokens()
                .issue(
                        "dana",
                        TENANT,
                        Role.TENANT_ADMIN,
                        EnumSet.of(Scope.INGEST, Scope.QUERY),
                        Duration.ofHours(1),
                        epoch)
                .token();
    }

    private JsonNode embeddedDetails(Connection control, String docId) throws Exception {
        try (PreparedStatement select = control.prepareStatement("SELECT details::text FROM audit_events"
                + " WHERE tenant_id = ? AND resource_id = ? AND event_type = 'DOCUMENT_EMBEDDED'")) {
            select.setString(1, TENANT.value());
            select.setString(2, docId);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return mapper.readTree(rows.getString(1));
            }
        }
    }

    private static long eventCount(Connection control, String docId, String type) throws Exception {
        try (PreparedStatement select = control.prepareStatement(
                "SELECT count(*) FROM audit_events WHERE tenant_id = ? AND resource_id = ? AND event_type = ?")) {
            select.setString(1, TENANT.value());
            select.setString(2, docId);
            select.setString(3, type);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static List<String> chunkIds(String token, String docId) throws Exception {
        List<String> ids = new ArrayList<>();
        JsonNode document = api.get("/api/v1/query/same-text-co/document/" + docId, token)
                .json()
                .path("data");
        for (JsonNode chunk : document.path("chunks")) {
            ids.add(chunk.path("chunk_id").asText());
        }
        ids.sort(String::compareTo);
        return ids;
    }
}
