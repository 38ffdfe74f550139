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
import io.frostbyte.server.TestNodes;
import io.frostbyte.server.intake.ManifestJson;
import io.frostbyte.server.intake.Multipart;
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
        node = TestNodes.start(dataDir, db, Map.of());
        api = new ApiClient(node.url().orElseThrow());
        TestNodes.createTenant(
                node,
                api,
                TENANT,
                "{\"tenant_id\":\"same-text-co\",\"tenant_name\":\"Same Text Co\",\"contact_email\":\"ops@example.com\","
                        + "\"tier\":\"standard\"}");
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

    @Test
    void an_index_write_that_fails_verification_is_rolled_back_in_both_stores_and_its_last_attempt_records_the_failure()
            throws Exception {
        String token = token();
        byte[] text = ("Boiler inspection notes\n\nThe boiler in the east wing was inspected in May. Valves were"
                        + " tightened and the pressure gauge was recalibrated.\n")
                .getBytes(UTF_8);
        String docId = indexedDocument(token, "batch-rollback", "boiler", "boiler.txt", text);
        List<String> chunkIds = chunkIds(token, docId);
        IndexNamespace namespace = IndexNamespace.first(TENANT);
        assertThat(node.vectorIndex().fetch(namespace, chunkIds)).hasSize(chunkIds.size());
        String structuredSha = api.get("/api/v1/query/same-text-co/document/" + docId, token)
                .json()
                .path("data")
                .path("lineage")
                .path("structured_sha256")
                .asText();
        assertThat(structuredSha).hasSize(64);
        var dataSource = node.database().database().dataSource();
        StageContext context = new StageContext(
                node.objects(),
                new io.frostbyte.postgres.PostgresTenantDocuments(node.tenantDatabases()),
                new io.frostbyte.postgres.PostgresDocumentStore(node.tenantDatabases()),
                new io.frostbyte.postgres.PostgresBatches(dataSource, Clock.systemUTC()),
                node.auditLog(),
                node.jobs(),
                node.database().database(),
                node.lifecycle()::find,
                Clock.systemUTC(),
                "test");
        // the real index, except that reading back loses the first point: a partial write as verification sees it
        io.frostbyte.core.index.VectorIndex losing = new LosingIndex(node.vectorIndex());
        IndexStage stage = new IndexStage(context, losing, node.indexGenerations());
        io.frostbyte.core.job.Job job = new io.frostbyte.core.job.Job(
                java.util.UUID.randomUUID(),
                TENANT,
                io.frostbyte.core.job.Stage.INDEX,
                "document",
                docId,
                "index:rollback-test",
                Map.of("structured_sha256", structuredSha),
                io.frostbyte.core.job.Stage.INDEX.maxAttempts(),
                "index-stage-it",
                java.time.Instant.now().plusSeconds(300),
                java.time.Instant.now(),
                java.time.Instant.now());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stage.handle(job))
                .isInstanceOf(io.frostbyte.core.FrostbyteException.class)
                .extracting(e -> ((io.frostbyte.core.FrostbyteException) e).code())
                .isEqualTo(io.frostbyte.core.ErrorCode.INDEX_FAILED);

        assertThat(node.vectorIndex().fetch(namespace, chunkIds)).isEmpty();
        JsonNode document = api.get("/api/v1/query/same-text-co/document/" + docId, token)
                .json()
                .path("data");
        assertThat(document.path("status").asText()).isEqualTo("embedded");
        assertThat(document.path("indexed_at").isNull()).isTrue();
        assertThat(document.path("chunks")).isEmpty();
        // (the batch finished before this replayed job ran, so its files keep their final status; a real index job
        // runs while the batch is open and fails the file there)
        try (Connection control = node.database().database().dataSource().getConnection()) {
            assertThat(eventCount(control, docId, "EMBEDDING_FAILED")).isEqualTo(1);
            try (PreparedStatement select = control.prepareStatement(
                    "SELECT details->>'stage', details->>'error_code'"
                            + " FROM audit_events WHERE tenant_id = ? AND resource_id = ? AND event_type = 'EMBEDDING_FAILED'")) {
                select.setString(1, TENANT.value());
                select.setString(2, docId);
                try (ResultSet rows = select.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("index");
                    assertThat(rows.getString(2)).isEqualTo("INDEX_FAILED");
                }
            }
        }
    }

    @Test
    void a_policy_job_that_finds_no_document_handed_over_reads_structured_json_back_and_keeps_the_chunks()
            throws Exception {
        String token = token();
        byte[] text = ("Pump room checklist\n\nCheck the seals of both pumps weekly and record the pressure"
                        + " readings in the plant office log before the night shift starts.\n")
                .getBytes(UTF_8);
        String docId = indexedDocument(token, "batch-read-back", "pumps", "pumps.txt", text);
        List<String> chunkIds = chunkIds(token, docId);
        double readBack = policyDocuments("stored");
        double handedOver = policyDocuments("parse");
        assertThat(handedOver).isPositive();

        // the first policy job took the document this node's parse stage left; another one for the same
        // structured.json (a retry, or a job another node runs) finds nothing handed over and reads the object back
        Map<String, String> payload = policyPayload(docId);
        java.util.UUID again = node.jobs()
                .enqueue(new io.frostbyte.core.job.JobRequest(
                        TENANT, io.frostbyte.core.job.Stage.POLICY, "document", docId, "policy:read-back", payload));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> node.jobs().find(TENANT, again).orElseThrow().status()
                        == io.frostbyte.core.job.JobStatus.COMPLETED);

        assertThat(policyDocuments("stored")).isEqualTo(readBack + 1);
        assertThat(policyDocuments("parse")).isEqualTo(handedOver);
        // both runs gave the same final chunk set, so the embed job (keyed by it) was not queued again
        try (Connection control = node.database().database().dataSource().getConnection();
                PreparedStatement select = control.prepareStatement("SELECT details->>'output_hash' FROM audit_events"
                        + " WHERE tenant_id = ? AND resource_id = ? AND event_type = 'POLICY_GATE_PASSED'"
                        + " AND details->>'gate' = 'classification'")) {
            select.setString(1, TENANT.value());
            select.setString(2, docId);
            List<String> chunkSets = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    chunkSets.add(rows.getString(1));
                }
            }
            assertThat(chunkSets).hasSize(2);
            assertThat(chunkSets.get(1)).isEqualTo(chunkSets.get(0));
            assertThat(eventCount(control, docId, "DOCUMENT_EMBEDDED")).isEqualTo(1);
        }
        assertThat(new io.frostbyte.postgres.PostgresDocumentStore(node.tenantDatabases()).chunks(TENANT, docId))
                .extracting(io.frostbyte.postgres.ChunkRow::chunkId)
                .containsExactlyInAnyOrderElementsOf(chunkIds);
    }

    /** The payload the parse stage gave the document's policy job. */
    private Map<String, String> policyPayload(String docId) throws Exception {
        try (Connection control = node.database().database().dataSource().getConnection();
                PreparedStatement select = control.prepareStatement("SELECT payload::text FROM jobs"
                        + " WHERE tenant_id = ? AND resource_id = ? AND stage = 'policy'")) {
            select.setString(1, TENANT.value());
            select.setString(2, docId);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return mapper.readValue(
                        rows.getString(1), new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
            }
        }
    }

    /** {@code frostbyte_policy_documents_total} of the tenant for one source, 0 before the first. */
    private static double policyDocuments(String source) {
        String prefix =
                "frostbyte_policy_documents_total{source=\"" + source + "\",tenant_id=\"" + TENANT.value() + "\"} ";
        return api.get("/metrics", null)
                .body()
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(prefix.length()).strip()))
                .findFirst()
                .orElse(0);
    }

    /** The real index whose fetch loses the first point asked for. */
    private record LosingIndex(io.frostbyte.core.index.VectorIndex real)
            implements io.frostbyte.core.index.VectorIndex {
        @Override
        public void create(IndexNamespace namespace, int dimension) {
            real.create(namespace, dimension);
        }

        @Override
        public boolean exists(IndexNamespace namespace) {
            return real.exists(namespace);
        }

        @Override
        public java.util.OptionalInt dimension(IndexNamespace namespace) {
            return real.dimension(namespace);
        }

        @Override
        public void upsert(IndexNamespace namespace, List<io.frostbyte.core.index.IndexPoint> points) {
            real.upsert(namespace, points);
        }

        @Override
        public void deleteDocument(IndexNamespace namespace, io.frostbyte.core.document.DocId docId) {
            real.deleteDocument(namespace, docId);
        }

        @Override
        public void replaceDocument(
                IndexNamespace namespace,
                io.frostbyte.core.document.DocId docId,
                List<io.frostbyte.core.index.IndexPoint> points) {
            real.replaceDocument(namespace, docId, points);
        }

        @Override
        public List<StoredPoint> fetch(IndexNamespace namespace, List<String> chunkIds) {
            List<StoredPoint> points = real.fetch(namespace, chunkIds);
            return points.isEmpty() ? points : points.subList(1, points.size());
        }

        @Override
        public List<io.frostbyte.core.index.SearchHit> search(
                IndexNamespace namespace, io.frostbyte.core.index.SearchRequest request) {
            return real.search(namespace, request);
        }

        @Override
        public long count(IndexNamespace namespace) {
            return real.count(namespace);
        }

        @Override
        public void drop(IndexNamespace namespace) {
            real.drop(namespace);
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
        return TestNodes.token(node, TENANT, Role.TENANT_ADMIN, EnumSet.of(Scope.INGEST, Scope.QUERY));
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
