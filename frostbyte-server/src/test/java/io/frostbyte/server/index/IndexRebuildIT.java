package io.frostbyte.server.index;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.StoredPoint;
import io.frostbyte.postgres.PostgresIndexedChunks;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TenantDatabases;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.ApiClient;
import io.frostbyte.server.FrostbyteNode;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import io.frostbyte.server.http.Json;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index generations and a rebuild end to end on embedded defaults: passages of the XQuAD retrieval corpus go through
 * the real pipeline (MiniLM, Lucene) into generation 1, then the tenant's index is rebuilt with the second profile
 * {@code openai-768}, served by a local OpenAI-compatible fake with bag-of-words vectors of another dimension (768
 * instead of 384). Queries use generation 1 until the switch, a document ingested during the rebuild is not lost, the
 * chunk rows and the points agree afterwards, generation 1 is gone, and the other tenant is untouched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexRebuildIT {
    private static final Path CORPUS = Path.of("../../shared/corpus/retrieval-xquad-en/beir-format/corpus.jsonl");
    private static final TenantId TENANT = TenantId.of("reindex-co");
    private static final TenantId OTHER = TenantId.of("other-co");
    private static final String SACKS = "How many career sacks did Jared Allen have?";

    @TempDir
    static Path dataDir;

    private static FakeEmbeddingsServer embeddings;
    private static TestDatabase db;
    private static FrostbyteNode node;
    private static ApiClient api;
    private static String admin;
    private static PostgresIndexedChunks chunks;
    private static TenantDatabases tenantDatabases;
    private static List<String> passages;

    @BeforeAll
    static void start() throws Exception {
        passages = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS).subList(0, 6)) {
            passages.add(Json.mapper().readTree(line).path("text").asText());
        }
        embeddings = new FakeEmbeddingsServer();
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
                        "1",
                        "FROSTBYTE_EMBEDDING__ENDPOINT",
                        embeddings.endpoint().toString(),
                        "FROSTBYTE_EMBEDDING__API_KEY",
                        FakeEmbeddingsServer.KEY)));
        node = FrostbyteNode.start(config, Clock.systemUTC(), Map.of());
        api = new ApiClient(node.url().orElseThrow());
        admin = Files.readString(node.adminTokenFile()).strip();
        for (TenantId tenant : List.of(TENANT, OTHER)) {
            ApiClient.Response created = api.postJson(
                    "/api/v1/admin/tenants",
                    admin,
                    "{\"tenant_id\":\"" + tenant.value() + "\",\"tenant_name\":\"" + tenant.value()
                            + "\",\"contact_email\":\"ops@example.com\",\"tier\":\"standard\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        for (TenantId tenant : List.of(TENANT, OTHER)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.get("/api/v1/admin/tenants/" + tenant.value(), admin)
                            .json()
                            .path("data")
                            .path("state")
                            .asText()
                            .equals("ACTIVE"));
        }
        node.tenantCache().refresh();
        tenantDatabases = new TenantDatabases(
                node.database().database().dataSource(),
                node.database().serverUrl(),
                new io.frostbyte.crypto.MasterKeySecretSealer(io.frostbyte.crypto.FileMasterKey.loadOrCreate(
                        node.config().keys().masterKeyFile())),
                1);
        chunks = new PostgresIndexedChunks(tenantDatabases);
        ingest(TENANT, "batch-1", passages.subList(0, 4));
        ingest(OTHER, "batch-1", passages.subList(0, 1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (tenantDatabases != null) {
            tenantDatabases.close();
        }
        if (node != null) {
            node.close();
        }
        if (db != null) {
            db.close();
        }
        if (embeddings != null) {
            embeddings.close();
        }
    }

    @Test
    @Order(1)
    void a_tenant_indexed_before_any_rebuild_is_on_generation_one_with_the_deployment_profile() {
        JsonNode index =
                api.get("/api/v1/admin/tenants/reindex-co/index", admin).json().path("data");

        assertThat(index.path("current").path("generation").asInt()).isEqualTo(1);
        assertThat(index.path("current").path("index_version").asText()).isEqualTo("g1");
        assertThat(index.path("current").path("embedding_profile").asText()).isEqualTo("minilm-384");
        assertThat(index.path("current").path("dimensions").asInt()).isEqualTo(384);
        assertThat(index.path("current").path("analyzer").asText()).isEqualTo("fb-standard-1");
        assertThat(index.path("building").isNull()).isTrue();
        JsonNode search = search(TENANT, SACKS);
        assertThat(search.path("proof").path("index_version").asText()).isEqualTo("g1");
        assertThat(search.path("proof").path("embed_dimensions").asInt()).isEqualTo(384);
        assertThat(search.path("chunks").get(0).path("text").asText()).contains("Jared Allen");
        assertThat(countRows(TENANT, "g1")).isPositive();
    }

    @Test
    @Order(2)
    void a_rebuild_is_refused_for_a_profile_this_deployment_cannot_run_a_missing_reason_and_unknown_tenants() {
        ApiClient.Response nomic =
                rebuild(TENANT, admin, "{\"reason\":\"switch model\",\"embedding_profile\":\"nomic-768\"}");
        assertThat(nomic.status()).as(nomic.body()).isEqualTo(400);
        assertThat(nomic.errorCode()).isEqualTo("VALIDATION_ERROR");
        assertThat(nomic.body()).contains("embedding_profile");

        ApiClient.Response noReason = rebuild(TENANT, admin, "{\"embedding_profile\":\"openai-768\"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.errorCode()).isEqualTo("VALIDATION_ERROR");

        ApiClient.Response unknown = rebuild(TenantId.of("nobody-co"), admin, "{\"reason\":\"switch model\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(api.get("/api/v1/admin/tenants/nobody-co/index", admin).status())
                .isEqualTo(404);

        // nothing was started
        assertThat(api.get("/api/v1/admin/tenants/reindex-co/index", admin)
                        .json()
                        .path("data")
                        .path("generations")
                        .size())
                .isEqualTo(1);
    }

    @Test
    @Order(3)
    void tenant_tokens_cannot_rebuild_or_read_an_index_of_their_own_or_another_tenant() {
        String own = token(TENANT, Role.TENANT_ADMIN);
        String other = token(OTHER, Role.TENANT_ADMIN);

        assertThat(rebuild(TENANT, own, "{\"reason\":\"switch model\"}").status())
                .isEqualTo(403);
        assertThat(rebuild(TENANT, other, "{\"reason\":\"switch model\"}").status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/admin/tenants/reindex-co/index", own).status())
                .isEqualTo(403);
        assertThat(rebuild(TENANT, null, "{\"reason\":\"switch model\"}").status())
                .isEqualTo(401);
    }

    @Test
    @Order(4)
    void a_rebuild_into_openai_768_switches_atomically_keeps_documents_ingested_meanwhile_and_drops_generation_one()
            throws Exception {
        long before = countRows(TENANT, "g1");
        embeddings.close(true); // the rebuild waits at its first embedding call

        ApiClient.Response started =
                rebuild(TENANT, admin, "{\"reason\":\"move to openai\",\"embedding_profile\":\"openai-768\"}");

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonNode accepted = started.json().path("data");
        assertThat(accepted.path("target_generation").asInt()).isEqualTo(2);
        assertThat(accepted.path("embed_model").asText()).isEqualTo("openai/text-embedding-3-small");
        assertThat(accepted.path("embed_version").asText()).isEqualTo("2024-01-25");
        assertThat(accepted.path("dimensions").asInt()).isEqualTo(768);

        ApiClient.Response second = rebuild(TENANT, admin, "{\"reason\":\"again\"}");
        assertThat(second.status()).as(second.body()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("RESOURCE_NOT_READY");

        JsonNode during =
                api.get("/api/v1/admin/tenants/reindex-co/index", admin).json().path("data");
        assertThat(during.path("current").path("generation").asInt()).isEqualTo(1);
        assertThat(during.path("building").path("generation").asInt()).isEqualTo(2);
        assertThat(during.path("building").path("status").asText()).isEqualTo("building");
        // queries keep using generation 1 until the switch
        assertThat(search(TENANT, SACKS).path("proof").path("index_version").asText())
                .isEqualTo("g1");

        // a document arriving during the rebuild is indexed into generation 1 and must not be lost
        ingest(TENANT, "batch-2", passages.subList(4, 5));
        long withNew = countRows(TENANT, "g1");
        assertThat(withNew).isGreaterThan(before);

        embeddings.open();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !api.get("/api/v1/admin/tenants/reindex-co/index", admin)
                        .json()
                        .path("data")
                        .path("current")
                        .path("index_version")
                        .asText()
                        .equals("g1"));

        JsonNode after =
                api.get("/api/v1/admin/tenants/reindex-co/index", admin).json().path("data");
        assertThat(after.path("current").path("generation").asInt()).isEqualTo(2);
        assertThat(after.path("current").path("embedding_profile").asText()).isEqualTo("openai-768");
        assertThat(after.path("current").path("dimensions").asInt()).isEqualTo(768);
        assertThat(after.path("current").path("chunks_done").asLong()).isEqualTo(withNew);
        assertThat(after.path("current").path("chunks_total").asLong()).isEqualTo(withNew);
        assertThat(after.path("building").isNull()).isTrue();
        assertThat(after.path("generations").get(1).path("status").asText()).isEqualTo("retired");

        // counts: every chunk row names g2, the new generation holds exactly those points
        IndexNamespace g1 = new IndexNamespace(TENANT, 1);
        IndexNamespace g2 = new IndexNamespace(TENANT, 2);
        assertThat(countRows(TENANT, "g1")).isZero();
        assertThat(countRows(TENANT, "g2")).isEqualTo(withNew);
        assertThat(node.vectorIndex().count(g2)).isEqualTo(withNew);
        assertThat(node.vectorIndex().dimension(g2)).hasValue(768);
        // the old generation is dropped once every node's cached generation has expired
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !node.vectorIndex().exists(g1)
                        && !Files.exists(dataDir.resolve("tenants/reindex-co/index/g1")));
        assertThat(Files.exists(dataDir.resolve("tenants/reindex-co/index/g2"))).isTrue();

        // chunk rows carry the new model, and their vector hashes are those of the points
        List<PostgresIndexedChunks.ChunkState> states = chunks.states(TENANT);
        assertThat(states).hasSize((int) withNew).allMatch(PostgresIndexedChunks.ChunkState::indexed);
        List<StoredPoint> points = node.vectorIndex()
                .fetch(
                        g2,
                        states.stream()
                                .map(PostgresIndexedChunks.ChunkState::chunkId)
                                .toList());
        assertThat(points).hasSize(states.size());
        for (int i = 0; i < points.size(); i++) {
            assertThat(Vectors.sha256Hex(points.get(i).vector()))
                    .isEqualTo(states.get(i).vectorSha256());
        }
        assertThat(embedColumns(TENANT)).containsOnly("openai/text-embedding-3-small|2024-01-25|768");

        // search on the new generation finds the passage again, embedded with the new profile
        JsonNode search = search(TENANT, SACKS);
        assertThat(search.path("proof").path("index_version").asText()).isEqualTo("g2");
        assertThat(search.path("proof").path("embed_model").asText()).isEqualTo("openai/text-embedding-3-small");
        assertThat(search.path("proof").path("embed_dimensions").asInt()).isEqualTo(768);
        assertThat(search.path("model_version_match").asBoolean()).isTrue();
        assertThat(search.path("chunks").get(0).path("text").asText()).contains("Jared Allen");
        assertThat(search.path("chunks").get(0).path("embed_model").asText())
                .isEqualTo("openai/text-embedding-3-small");
        JsonNode vectorOnly = search(TENANT, SACKS, "vector");
        assertThat(vectorOnly.path("chunks").get(0).path("text").asText()).contains("Jared Allen");
        // the document ingested during the rebuild is found in the new generation
        assertThat(search(TENANT, "Miller stripped the ball away from Newton", "keyword")
                        .path("chunks")
                        .get(0)
                        .path("text")
                        .asText())
                .contains(passages.get(4).substring(0, 40));

        // the fence is lifted and the rebuild is audited with ids, counts and hashes only
        assertThat(node.registry().find(TENANT).orElseThrow().embeddingHalted()).isFalse();
        try (Connection control = node.database().database().dataSource().getConnection();
                PreparedStatement select = control.prepareStatement(
                        "SELECT details::text FROM audit_events WHERE tenant_id = ? AND event_type = 'INDEX_REBUILT'")) {
            select.setString(1, TENANT.value());
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                JsonNode details = Json.mapper().readTree(rows.getString(1));
                assertThat(details.path("status").asText()).isEqualTo("success");
                assertThat(details.path("previous_generation").asInt()).isEqualTo(1);
                assertThat(details.path("target_generation").asInt()).isEqualTo(2);
                assertThat(details.path("chunk_count").asLong()).isEqualTo(withNew);
                assertThat(details.path("embed_model").asText()).isEqualTo("openai/text-embedding-3-small");
                assertThat(details.path("reason_sha256").asText()).hasSize(64);
                assertThat(rows.getString(1)).doesNotContain("move to openai");
                assertThat(rows.next()).isFalse();
            }
        }
        assertThat(node.auditVerifier().verify(TENANT).breaks()).isEmpty();

        // the other tenant still reads its own generation 1 with MiniLM
        JsonNode other = search(OTHER, SACKS);
        assertThat(other.path("proof").path("index_version").asText()).isEqualTo("g1");
        assertThat(other.path("proof").path("embed_dimensions").asInt()).isEqualTo(384);
        assertThat(node.vectorIndex().exists(new IndexNamespace(OTHER, 1))).isTrue();
    }

    @Test
    @Order(5)
    void documents_ingested_after_the_switch_are_embedded_with_the_new_profile_into_the_new_generation() {
        int calls = embeddings.requests();

        ingest(TENANT, "batch-3", passages.subList(5, 6));

        assertThat(embeddings.requests()).isGreaterThan(calls);
        assertThat(countRows(TENANT, "g1")).isZero();
        assertThat(countRows(TENANT, "g2")).isEqualTo(chunks.states(TENANT).size());
        assertThat(node.vectorIndex().count(new IndexNamespace(TENANT, 2)))
                .isEqualTo(chunks.states(TENANT).size());
        assertThat(embedColumns(TENANT)).containsOnly("openai/text-embedding-3-small|2024-01-25|768");
    }

    @Test
    @Order(6)
    void the_cli_reindexes_back_to_minilm_and_waits_for_the_switch() {
        long indexed = chunks.states(TENANT).size();
        java.util.Map<String, String> environment = new java.util.HashMap<>();
        environment.put("FROSTBYTE_DATA_DIR", dataDir.toString());
        environment.put("FROSTBYTE_DB__URL", db.url().url());
        environment.put("FROSTBYTE_URL", node.url().orElseThrow().toString());
        environment.put("FROSTBYTE_TOKEN_FILE", node.adminTokenFile().toString());

        java.io.StringWriter unknownErr = new java.io.StringWriter();
        picocli.CommandLine unknown = io.frostbyte.server.cli.FrostbyteCommand.commandLine(environment);
        unknown.setErr(new java.io.PrintWriter(unknownErr));
        unknown.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(unknown.execute("tenant", "reindex", "reindex-co", "--model", "nomic-768"))
                .isEqualTo(1);
        assertThat(unknownErr.toString()).contains("VALIDATION_ERROR").contains("embedding_profile");

        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = io.frostbyte.server.cli.FrostbyteCommand.commandLine(environment);
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        int exit = cli.execute("tenant", "reindex", "reindex-co", "--model", "minilm-384", "--wait");

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("g3 current " + indexed + "/" + indexed + " chunks");
        JsonNode current = api.get("/api/v1/admin/tenants/reindex-co/index", admin)
                .json()
                .path("data")
                .path("current");
        assertThat(current.path("generation").asInt()).isEqualTo(3);
        assertThat(current.path("dimensions").asInt()).isEqualTo(384);
        assertThat(countRows(TENANT, "g3")).isEqualTo(indexed);
        assertThat(embedColumns(TENANT)).containsOnly("all-MiniLM-L6-v2|1.0|384");
        assertThat(search(TENANT, SACKS).path("chunks").get(0).path("text").asText())
                .contains("Jared Allen");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !Files.exists(dataDir.resolve("tenants/reindex-co/index/g2")));
    }

    @Test
    @Order(7)
    void a_rebuild_whose_embedder_fails_leaves_the_current_generation_and_drops_what_it_built() throws Exception {
        long indexed = chunks.states(TENANT).size();
        embeddings.failing(true);
        try {
            ApiClient.Response started =
                    rebuild(TENANT, admin, "{\"reason\":\"try openai again\",\"embedding_profile\":\"openai-768\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            assertThat(started.json().path("data").path("target_generation").asInt())
                    .isEqualTo(4);

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> api.get("/api/v1/admin/tenants/reindex-co/index", admin)
                            .json()
                            .path("data")
                            .path("building")
                            .isNull());
        } finally {
            embeddings.failing(false);
        }
        JsonNode index =
                api.get("/api/v1/admin/tenants/reindex-co/index", admin).json().path("data");
        assertThat(index.path("current").path("generation").asInt()).isEqualTo(3);
        JsonNode failed = index.path("generations").get(0);
        assertThat(failed.path("generation").asInt()).isEqualTo(4);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error_code").asText()).isEqualTo("EMBED_FAILED");
        assertThat(Files.exists(dataDir.resolve("tenants/reindex-co/index/g4"))).isFalse();
        assertThat(countRows(TENANT, "g3")).isEqualTo(indexed);
        assertThat(embedColumns(TENANT)).containsOnly("all-MiniLM-L6-v2|1.0|384");
        assertThat(node.registry().find(TENANT).orElseThrow().embeddingHalted()).isFalse();
        assertThat(search(TENANT, SACKS).path("proof").path("index_version").asText())
                .isEqualTo("g3");
        try (Connection control = node.database().database().dataSource().getConnection();
                PreparedStatement select = control.prepareStatement("SELECT details->>'status', details->>'error_code'"
                        + " FROM audit_events WHERE tenant_id = ? AND event_type = 'INDEX_REBUILT'"
                        + " ORDER BY seq DESC LIMIT 1")) {
            select.setString(1, TENANT.value());
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("failure");
                assertThat(rows.getString(2)).isEqualTo("EMBED_FAILED");
            }
        }
    }

    private static ApiClient.Response rebuild(TenantId tenant, String token, String body) {
        return api.postJson("/api/v1/admin/tenants/" + tenant.value() + "/index/rebuild", token, body);
    }

    private static JsonNode search(TenantId tenant, String query) {
        return search(tenant, query, "hybrid");
    }

    private static JsonNode search(TenantId tenant, String query, String mode) {
        ApiClient.Response response = api.postJson(
                "/api/v1/query/" + tenant.value() + "/search",
                token(tenant, Role.TENANT_ADMIN),
                "{\"query_text\":\"" + query + "\",\"top_k\":5,\"mode\":\"" + mode + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("data");
    }

    private static String token(TenantId tenant, Role role) {
        long epoch = node.registry().find(tenant).orElseThrow().keyEpoch();
        return node.tokens()
                .issue("dana", tenant, role, EnumSet.of(Scope.INGEST, Scope.QUERY), Duration.ofHours(1), epoch)
                .token();
    }

    private static void ingest(TenantId tenant, String batchId, List<String> texts) {
        String token = token(tenant, Role.TENANT_ADMIN);
        ManifestJson manifest = new ManifestJson(batchId, tenant.value());
        Multipart body = new Multipart();
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            byte[] bytes = texts.get(i).getBytes(UTF_8);
            files.add(bytes);
            manifest.add("f" + i, "passage-" + i + ".txt", "text/plain", bytes);
        }
        body.manifest(manifest.json());
        for (int i = 0; i < files.size(); i++) {
            body.file("passage-" + i + ".txt", files.get(i));
        }
        ApiClient.Response submitted =
                api.post("/api/v1/ingest/" + tenant.value() + "/batch", token, Multipart.CONTENT_TYPE, body.bytes());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String path = "/api/v1/ingest/" + tenant.value() + "/batch/" + batchId;
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> api.get(path, token)
                        .json()
                        .path("data")
                        .path("status")
                        .asText()
                        .startsWith("COMPLETED"));
        JsonNode batch = api.get(path, token).json().path("data");
        for (JsonNode file : batch.path("files")) {
            assertThat(file.path("file_status").asText()).as(batch.toString()).isEqualTo("indexed");
        }
    }

    private static long countRows(TenantId tenant, String indexVersion) {
        return chunks.countIndexed(tenant, indexVersion);
    }

    private static List<String> embedColumns(TenantId tenant) {
        List<String> values = new ArrayList<>();
        try (Connection connection = tenantDatabases.dataSource(tenant).getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT embed_model || '|' || embed_version || '|' || embed_dimensions FROM chunks"
                                + " WHERE status <> 'quarantined'")) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }
}
