package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.JobStatus;
import io.frostbyte.core.job.Stage;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead-letter administration and the embedding halt through the HTTP API on a random port over a real PostgreSQL: a
 * job dead-lettered by the worker pool is listed, read, retried (and runs again) or abandoned, each with DLQ_RESOLVED
 * in the tenant's chain; another tenant's path never reveals it; the queue and DLQ figures reach {@code /metrics}; a
 * tenant's vector index is created by provisioning and deleted by deprovisioning.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetterApiIT {
    private static final String ACME = "dlq-acme";
    private static final String GLOBEX = "dlq-globex";
    private static final String REASON = "CANARY-5d1e vendor re-sent the file";
    /** A stage no pipeline handler claims here: the test's handler fails it until told otherwise. */
    private static final Stage FLAKY = Stage.REWRAP;

    @TempDir
    static Path dataDir;

    private static final AtomicBoolean failing = new AtomicBoolean(true);
    private static final List<UUID> embedded = java.util.Collections.synchronizedList(new ArrayList<>());
    private static TestDatabase db;
    private static FrostbyteNode node;
    private static ApiClient api;
    private static String admin;
    private static UUID retried;
    private static UUID abandoned;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresTestSupport.freshDatabase();
        JobHandler flaky = job -> {
            if (failing.get()) {
                throw new FrostbyteException(ErrorCode.FILE_CORRUPTED, "file is corrupted");
            }
        };
        JobHandler embed = job -> embedded.add(job.jobId());
        node = FrostbyteNode.start(
                FrostbyteConfig.from(ConfigLoader.load(
                        Optional.empty(),
                        Map.of(
                                "FROSTBYTE_DATA_DIR", dataDir.toString(),
                                "FROSTBYTE_SERVER__PORT", "0",
                                "FROSTBYTE_DB__URL", db.url().url()))),
                Clock.systemUTC(),
                Map.of(FLAKY, flaky, Stage.EMBED, embed));
        api = new ApiClient(node.url().orElseThrow());
        admin = Files.readString(node.adminTokenFile()).strip();
    }

    @AfterAll
    static void stop() {
        node.close();
        db.close();
    }

    private static JsonNode data(ApiClient.Response response) {
        return response.json().path("data");
    }

    private static String entryPath(String tenant, UUID id) {
        return "/api/v1/admin/tenants/" + tenant + "/dead-letters/" + id;
    }

    /** Queues a job of the flaky stage for acme and waits for the pool to dead-letter it; returns the entry id. */
    private static UUID deadLetter(String resourceId) {
        UUID jobId = node.jobs()
                .enqueue(new JobRequest(TenantId.of(ACME), FLAKY, "tenant", resourceId, "key-" + resourceId, Map.of()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> node.jobs()
                        .find(TenantId.of(ACME), jobId)
                        .orElseThrow()
                        .status()
                        .equals(JobStatus.DEAD));
        JsonNode entries = data(api.get("/api/v1/admin/dead-letters?tenant_id=" + ACME + "&limit=500", admin))
                .path("entries");
        for (JsonNode entry : entries) {
            if (entry.path("original_job_id").asText().equals(jobId.toString())) {
                return UUID.fromString(entry.path("dlq_entry_id").asText());
            }
        }
        throw new AssertionError("no dead letter for job " + jobId + " in " + entries);
    }

    private static String state(String tenant) {
        return node.registry().find(TenantId.of(tenant)).orElseThrow().state().name();
    }

    private static String token(String tenant, Role role, Scope... scopes) {
        TenantId id = TenantId.of(tenant);
        long epoch = node.registry().find(id).orElseThrow().keyEpoch();
        return node.tokens()
                .issue("test-user", id, role, EnumSet.of(scopes[0], scopes), Duration.ofHours(1), epoch)
                .token();
    }

    /** The tenant's audit events of one type, oldest first: {actor, resource_id, details}. */
    private static List<JsonNode> events(String tenant, String type) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Connection c = node.database().database().dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT json_build_object('actor', actor, 'resource_id',"
                        + " resource_id, 'details', details)::text FROM audit_events WHERE tenant_id = ?"
                        + " AND event_type = ? ORDER BY seq")) {
            select.setString(1, tenant);
            select.setString(2, type);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(json.readTree(rows.getString(1)));
                }
            }
        }
        return events;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @Order(1)
    void provisioning_creates_the_tenant_index_with_the_deployment_dimension() {
        ApiClient.Response created = api.postJson(
                "/api/v1/admin/tenants",
                admin,
                "{\"tenant_id\":\"" + ACME
                        + "\",\"tenant_name\":\"Acme\",\"contact_email\":\"ops@acme.example\",\"tier\":\"standard\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient.Response other = api.postJson(
                "/api/v1/admin/tenants",
                admin,
                "{\"tenant_id\":\"" + GLOBEX + "\",\"tenant_name\":\"Globex\",\"contact_email\":\"ops@globex.example\","
                        + "\"tier\":\"standard\",\"provision\":false}");
        assertThat(other.status()).as(other.body()).isEqualTo(201);
        // polled in the registry: the admin routes share one rate limit of 60 requests a minute
        await().atMost(Duration.ofSeconds(60)).until(() -> state(ACME).equals("ACTIVE"));

        JsonNode steps = data(api.get("/api/v1/admin/tenants/" + ACME + "/provisioning", admin))
                .path("steps");
        assertThat(steps)
                .extracting(step ->
                        step.path("step").asText() + "=" + step.path("status").asText())
                .containsExactly("keys=done", "vector_index=done", "tenant_database=done", "object_namespace=done");
        IndexNamespace index = IndexNamespace.first(TenantId.of(ACME));
        assertThat(node.vectorIndex().dimension(index)).hasValue(384);
        assertThat(node.vectorIndex().count(index))
                .as("the verification probe is gone")
                .isZero();
        assertThat(node.vectorIndex().exists(IndexNamespace.first(TenantId.of(GLOBEX))))
                .as("a tenant that was not provisioned")
                .isFalse();
    }

    @Test
    @Order(2)
    void a_job_dead_lettered_by_the_pool_is_listed_read_and_counted_in_metrics() throws Exception {
        retried = deadLetter("res-1");

        JsonNode list =
                api.get("/api/v1/admin/dead-letters?tenant_id=" + ACME, admin).json();
        assertThat(list.path("meta").path("total").asLong()).isEqualTo(1);
        assertThat(list.path("meta").path("limit").asInt()).isEqualTo(50);
        JsonNode entry = list.path("data").path("entries").get(0);
        assertThat(entry.path("dlq_entry_id").asText()).isEqualTo(retried.toString());
        assertThat(entry.path("tenant_id").asText()).isEqualTo(ACME);
        assertThat(entry.path("stage").asText()).isEqualTo("rewrap");
        assertThat(entry.path("resource_type").asText()).isEqualTo("tenant");
        assertThat(entry.path("resource_id").asText()).isEqualTo("res-1");
        assertThat(entry.path("retry_count").asInt()).isZero();
        assertThat(entry.path("error").path("code").asText()).isEqualTo("FILE_CORRUPTED");
        assertThat(entry.path("error").path("stack_trace_hash").asText()).isNotEmpty();
        assertThat(entry.path("status").asText()).isEqualTo("pending_review");
        assertThat(entry.path("resolved_at").isNull()).isTrue();
        assertThat(entry.path("resolution").isNull()).isTrue();

        ApiClient.Response one = api.get(entryPath(ACME, retried), admin);
        assertThat(one.status()).isEqualTo(200);
        assertThat(data(one)).isEqualTo(entry);
        assertThat(data(api.get("/api/v1/admin/dead-letters?stage=rewrap", admin))
                        .path("entries"))
                .hasSize(1);
        assertThat(data(api.get("/api/v1/admin/dead-letters?stage=parse", admin))
                        .path("entries"))
                .isEmpty();
        assertThat(data(api.get("/api/v1/admin/dead-letters?tenant_id=" + GLOBEX, admin))
                        .path("entries"))
                .isEmpty();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(api.get("/metrics", null).body())
                        .contains("frostbyte_dlq_depth{stage=\"rewrap\"} 1.0")
                        .contains(
                                "frostbyte_dlq_entries_total{code=\"FILE_CORRUPTED\",stage=\"rewrap\",tenant_id=\"dlq-acme\"} 1.0")
                        .contains("frostbyte_job_queue_depth{stage=\"rewrap\"} 0.0"));
    }

    @Test
    @Order(3)
    void another_tenants_path_does_not_reveal_or_resolve_the_entry() {
        for (ApiClient.Response response : List.of(
                api.get(entryPath(GLOBEX, retried), admin),
                api.postJson(entryPath(GLOBEX, retried) + "/retry", admin, "{\"reason\":\"x\"}"),
                api.postJson(
                        entryPath(GLOBEX, retried) + "/abandon",
                        admin,
                        "{\"reason\":\"x\",\"resolution\":\"skipped\"}"),
                api.get(entryPath("no-such-tenant", retried), admin),
                api.get(entryPath(ACME, UUID.randomUUID()), admin),
                api.get("/api/v1/admin/tenants/" + ACME + "/dead-letters/not-a-uuid", admin))) {
            assertThat(response.status()).as(response.body()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("RESOURCE_NOT_FOUND");
            assertThat(response.json().path("error").path("message").asText())
                    .as("the same answer as for an entry that never existed")
                    .isEqualTo("Dead letter not found.");
        }
        assertThat(data(api.get(entryPath(ACME, retried), admin)).path("status").asText())
                .isEqualTo("pending_review");
    }

    @Test
    @Order(4)
    void bad_list_parameters_are_validation_errors_naming_the_field() {
        Map<String, String> bad = Map.of(
                "limit=501", "limit",
                "limit=0", "limit",
                "page=0", "page",
                "stage=bogus", "stage",
                "status=open", "status",
                "tenant_id=Not_A_Tenant!", "tenant_id");
        bad.forEach((query, field) -> {
            ApiClient.Response response = api.get("/api/v1/admin/dead-letters?" + query, admin);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.errorCode()).isEqualTo("VALIDATION_ERROR");
            assertThat(response.json()
                            .path("error")
                            .path("details")
                            .get(0)
                            .path("field")
                            .asText())
                    .as(query)
                    .isEqualTo(field);
        });
        assertThat(api.get("/api/v1/admin/dead-letters?limit=500&page=3", admin).status())
                .isEqualTo(200);
    }

    @Test
    @Order(5)
    void only_a_platform_admin_with_the_admin_scope_may_call_the_routes() {
        List<String> tokens = List.of(
                token(ACME, Role.TENANT_ADMIN, Scope.INGEST, Scope.QUERY, Scope.AUDIT),
                token(TenantId.PLATFORM.value(), Role.AUDITOR, Scope.AUDIT),
                token(TenantId.PLATFORM.value(), Role.ADMIN, Scope.QUERY, Scope.AUDIT));
        for (String token : tokens) {
            for (ApiClient.Response response : List.of(
                    api.get("/api/v1/admin/dead-letters", token),
                    api.get(entryPath(ACME, retried), token),
                    api.postJson(entryPath(ACME, retried) + "/retry", token, "{}"),
                    api.postJson(entryPath(ACME, retried) + "/abandon", token, "{\"reason\":\"x\"}"),
                    api.postJson("/api/v1/admin/tenants/" + ACME + "/embedding/resume", token, "{\"reason\":\"x\"}"))) {
                assertThat(response.status()).as(response.body()).isEqualTo(403);
                assertThat(response.errorCode()).isEqualTo("INSUFFICIENT_PERMISSIONS");
            }
        }
        assertThat(api.get("/api/v1/admin/dead-letters", null).status()).isEqualTo(401);
        assertThat(data(api.get(entryPath(ACME, retried), admin)).path("status").asText())
                .isEqualTo("pending_review");
    }

    @Test
    @Order(6)
    void a_retry_queues_the_stage_again_which_runs_and_writes_dlq_resolved_without_the_reason_text() throws Exception {
        failing.set(false);

        ApiClient.Response response =
                api.postJson(entryPath(ACME, retried) + "/retry", admin, "{\"reason\":\"" + REASON + "\"}");

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(data(response).path("dlq_entry_id").asText()).isEqualTo(retried.toString());
        assertThat(data(response).path("status").asText()).isEqualTo("resolved");
        assertThat(data(response).path("resolution").asText()).isEqualTo("reprocessed");
        UUID newJob = UUID.fromString(data(response).path("new_job_id").asText());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> node.jobs()
                        .find(TenantId.of(ACME), newJob)
                        .orElseThrow()
                        .status()
                        .equals(JobStatus.COMPLETED));
        JsonNode entry = data(api.get(entryPath(ACME, retried), admin));
        assertThat(entry.path("status").asText()).isEqualTo("resolved");
        assertThat(entry.path("resolved_by").asText()).isEqualTo("user:bootstrap-admin");
        assertThat(entry.path("new_job_id").asText()).isEqualTo(newJob.toString());

        List<JsonNode> events = events(ACME, "DLQ_RESOLVED");
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.path("actor").asText()).isEqualTo("user:bootstrap-admin");
        assertThat(event.path("resource_id").asText()).isEqualTo(retried.toString());
        JsonNode details = event.path("details");
        assertThat(details.path("stage").asText()).isEqualTo("rewrap");
        assertThat(details.path("resource_id").asText()).isEqualTo("res-1");
        assertThat(details.path("resolution").asText()).isEqualTo("reprocessed");
        assertThat(details.path("new_job_id").asText()).isEqualTo(newJob.toString());
        assertThat(details.path("component").asText()).isEqualTo("admin-api");
        assertThat(details.path("reason_sha256").asText()).isEqualTo(sha256(REASON));
        assertThat(event.toString()).doesNotContain("CANARY");

        ApiClient.Response again = api.post(entryPath(ACME, retried) + "/retry", admin, null, new byte[0]);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("INVALID_STATE_TRANSITION");
        assertThat(events(ACME, "DLQ_RESOLVED")).hasSize(1);
    }

    @Test
    @Order(7)
    void abandoning_needs_a_reason_and_a_known_resolution_and_happens_once() throws Exception {
        failing.set(true);
        abandoned = deadLetter("res-2");
        String path = entryPath(ACME, abandoned) + "/abandon";

        ApiClient.Response noReason = api.postJson(path, admin, "{\"resolution\":\"skipped\"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("reason");
        ApiClient.Response reprocessed = api.postJson(path, admin, "{\"reason\":\"x\",\"resolution\":\"reprocessed\"}");
        assertThat(reprocessed.status()).isEqualTo(400);
        assertThat(reprocessed
                        .json()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("field")
                        .asText())
                .isEqualTo("resolution");

        ApiClient.Response done =
                api.postJson(path, admin, "{\"reason\":\"" + REASON + "\",\"resolution\":\"manual_fix\"}");

        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(data(done).path("dlq_entry_id").asText()).isEqualTo(abandoned.toString());
        assertThat(data(done).path("status").asText()).isEqualTo("abandoned");
        assertThat(data(done).path("resolution").asText()).isEqualTo("manual_fix");
        assertThat(data(done).path("resolved_by").asText()).isEqualTo("user:bootstrap-admin");
        assertThat(data(done).path("new_job_id").isNull()).isTrue();
        ApiClient.Response again = api.postJson(path, admin, "{\"reason\":\"again\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("INVALID_STATE_TRANSITION");

        assertThat(data(api.get("/api/v1/admin/dead-letters?tenant_id=" + ACME, admin))
                        .path("entries"))
                .as("the default filter is pending_review")
                .isEmpty();
        assertThat(data(api.get("/api/v1/admin/dead-letters?status=abandoned", admin))
                        .path("entries"))
                .extracting(entry -> entry.path("dlq_entry_id").asText())
                .containsExactly(abandoned.toString());
        List<JsonNode> events = events(ACME, "DLQ_RESOLVED");
        assertThat(events).hasSize(2);
        JsonNode details = events.get(1).path("details");
        assertThat(events.get(1).path("resource_id").asText()).isEqualTo(abandoned.toString());
        assertThat(details.path("resolution").asText()).isEqualTo("manual_fix");
        assertThat(details.path("new_job_id").isNull()).isTrue();
        assertThat(details.path("reason_sha256").asText()).isEqualTo(sha256(REASON));
        assertThat(events.toString()).doesNotContain("CANARY");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(api.get("/metrics", null).body())
                                .contains("frostbyte_dlq_depth{stage=\"rewrap\"} 0.0")
                                .contains(
                                        "frostbyte_dlq_entries_total{code=\"FILE_CORRUPTED\",stage=\"rewrap\",tenant_id=\"dlq-acme\"} 2.0"));
    }

    @Test
    @Order(8)
    void resuming_embedding_clears_the_halt_lets_embed_jobs_run_and_is_audited() throws Exception {
        String resume = "/api/v1/admin/tenants/" + ACME + "/embedding/resume";
        ApiClient.Response notHalted = api.postJson(resume, admin, "{\"reason\":\"" + REASON + "\"}");
        assertThat(notHalted.status()).as(notHalted.body()).isEqualTo(409);
        assertThat(notHalted.errorCode()).isEqualTo("INVALID_STATE_TRANSITION");
        assertThat(api.postJson("/api/v1/admin/tenants/no-such-tenant/embedding/resume", admin, "{\"reason\":\"x\"}")
                        .status())
                .isEqualTo(404);

        TenantId acme = TenantId.of(ACME);
        node.registry().setEmbeddingHalted(acme, true);
        UUID embedJob =
                node.jobs().enqueue(new JobRequest(acme, Stage.EMBED, "document", "doc-1", "embed-1", Map.of()));
        // a halted tenant's embed job stays queued (spec/09 OPS-1) through several polls of the pool
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> node.jobs().find(acme, embedJob).orElseThrow().status() == JobStatus.QUEUED);
        assertThat(data(api.get("/api/v1/admin/tenants/" + ACME, admin))
                        .path("embedding_halted")
                        .asBoolean())
                .isTrue();
        assertThat(api.postJson(resume, admin, "{}").status()).isEqualTo(400);

        ApiClient.Response resumed = api.postJson(resume, admin, "{\"reason\":\"" + REASON + "\"}");

        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(data(resumed).path("embedding_halted").isBoolean()).isTrue();
        assertThat(data(resumed).path("embedding_halted").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> node.jobs().find(acme, embedJob).orElseThrow().status() == JobStatus.COMPLETED);
        assertThat(embedded).containsExactly(embedJob);
        assertThat(data(api.get("/api/v1/admin/tenants/" + ACME, admin))
                        .path("embedding_halted")
                        .asBoolean())
                .isFalse();
        assertThat(api.postJson(resume, admin, "{\"reason\":\"x\"}").status()).isEqualTo(409);
        List<JsonNode> events = events(ACME, "TENANT_CONFIG_UPDATED");
        assertThat(events).hasSize(1);
        JsonNode details = events.get(0).path("details");
        assertThat(events.get(0).path("actor").asText()).isEqualTo("user:bootstrap-admin");
        assertThat(details.path("changes").get(0).path("field").asText()).isEqualTo("embedding_halted");
        assertThat(details.path("changes").get(0).path("old_value").asBoolean()).isTrue();
        assertThat(details.path("changes").get(0).path("new_value").asBoolean()).isFalse();
        assertThat(details.path("config_version").asInt())
                .isEqualTo(details.path("previous_config_version").asInt());
        assertThat(details.path("reason_sha256").asText()).isEqualTo(sha256(REASON));
        assertThat(events.toString()).doesNotContain("CANARY");
    }

    @Test
    @Order(9)
    void deprovisioning_deletes_the_index_before_the_object_namespace() {
        ApiClient.Response response = api.postJson(
                "/api/v1/admin/tenants/" + ACME + "/deprovision",
                admin,
                "{\"reason\":\"contract ended\",\"confirm\":true,\"confirm_tenant_id\":\"" + ACME + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Set.of("DEPROVISIONED", "FAILED").contains(state(ACME)));

        JsonNode tenant = data(api.get("/api/v1/admin/tenants/" + ACME, admin));
        assertThat(tenant.path("state").asText()).as(tenant.toString()).isEqualTo("DEPROVISIONED");
        assertThat(tenant.path("deletion_receipt").path("stores_verified_empty"))
                .extracting(JsonNode::asText)
                .containsExactly("vector_index", "tenant_database", "object_namespace", "control_metadata");
        assertThat(node.vectorIndex().exists(IndexNamespace.first(TenantId.of(ACME))))
                .isFalse();
        assertThat(dataDir.resolve("tenants").resolve(ACME)).doesNotExist();
        assertThat(api.get(entryPath(ACME, abandoned), admin).status())
                .as("dead letters are control rows, deleted with the tenant")
                .isEqualTo(404);
    }
}
