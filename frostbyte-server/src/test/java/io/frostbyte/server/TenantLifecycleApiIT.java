package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.TenantId;
import io.frostbyte.crypto.SigningKey;
import io.frostbyte.crypto.SigningKeySigner;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.postgres.audit.AuditEventJson;
import io.frostbyte.postgres.audit.AuditExportVerification;
import io.frostbyte.postgres.audit.AuditExportVerifier;
import io.frostbyte.server.cli.FrostbyteCommand;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import picocli.CommandLine;

/**
 * An operator's whole tenant lifecycle through the API: create and provision, configure, kill-switch, keys, audit
 * queries, verification and export, deprovisioning with crypto-shredding; and no fixture text in any audit event.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantLifecycleApiIT {
    private static final String CANARY = "CANARY-7f3a SSN 078-05-1120";
    private static final String EMAIL = "dana.canary@vendor.example";
    private static final String NAME = "Lifecycle Canary Holdings";
    private static final String T = "lifecycle-co";

    @TempDir
    static Path dataDir;

    private static TestDatabase db;
    private static FrostbyteNode node;
    private static ApiClient api;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresTestSupport.freshDatabase();
        node = FrostbyteNode.start(config(), Clock.systemUTC(), Map.of());
        api = new ApiClient(node.url().orElseThrow());
        admin = Files.readString(node.adminTokenFile()).strip();
    }

    private static FrostbyteConfig config() {
        return FrostbyteConfig.from(ConfigLoader.load(Optional.empty(), environment()));
    }

    private static Map<String, String> environment() {
        return Map.of(
                "FROSTBYTE_DATA_DIR", dataDir.toString(),
                "FROSTBYTE_SERVER__PORT", "0",
                "FROSTBYTE_DB__URL", db.url().url());
    }

    @AfterAll
    static void stop() {
        node.close();
        db.close();
    }

    private static JsonNode data(ApiClient.Response response) {
        return response.json().path("data");
    }

    private static String state() {
        return data(api.get("/api/v1/admin/tenants/" + T, admin)).path("state").asText();
    }

    private static boolean databaseExists(String name) throws Exception {
        try (Connection c = node.database().database().adminDataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rows.next();
            return rows.getLong(1) == 1;
        }
    }

    @Test
    @Order(1)
    void an_operator_creates_a_tenant_and_it_is_provisioned_with_its_own_database_and_keys() throws Exception {
        ApiClient.Response created = api.postJson(
                "/api/v1/admin/tenants",
                admin,
                "{\"tenant_id\":\"" + T + "\",\"tenant_name\":\"" + NAME + "\",\"contact_email\":\"" + EMAIL
                        + "\",\"tier\":\"premium\",\"config\":{\"max_batch_size\":250}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(data(created).path("config").path("max_batch_size").asInt()).isEqualTo(250);
        assertThat(data(created).path("config").path("storage_quota_gb").asInt())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> state().equals("ACTIVE"));
        JsonNode provisioning = data(api.get("/api/v1/admin/tenants/" + T + "/provisioning", admin));
        assertThat(provisioning.path("steps"))
                .extracting(step -> step.path("status").asText())
                .containsOnly("done");
        assertThat(databaseExists("tenant_lifecycle_co")).isTrue();
        assertThat(dataDir.resolve("tenants").resolve(T))
                .as("the tenant's object namespace")
                .isDirectory();
        assertThat(data(api.get("/api/v1/admin/tenants/" + T + "/keys", admin))
                        .path("primary_version")
                        .asInt())
                .isEqualTo(1);

        ApiClient.Response again = api.postJson(
                "/api/v1/admin/tenants",
                admin,
                "{\"tenant_id\":\"" + T
                        + "\",\"tenant_name\":\"x\",\"contact_email\":\"a@b.example\",\"tier\":\"standard\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("TENANT_ALREADY_EXISTS");
    }

    @Test
    @Order(2)
    void configuration_changes_are_validated_versioned_and_listed() {
        ApiClient.Response bad =
                api.send(HttpRequest.newBuilder(node.url().orElseThrow().resolve("/api/v1/admin/tenants/" + T))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .method(
                                "PATCH",
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"config\":{\"max_batch_size\":0},\"reason\":\"" + CANARY + "\"}")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("details").get(0).path("field").asText())
                .isEqualTo("max_batch_size");

        ApiClient.Response ok =
                api.send(HttpRequest.newBuilder(node.url().orElseThrow().resolve("/api/v1/admin/tenants/" + T))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .method(
                                "PATCH",
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"config\":{\"max_batch_size\":500},\"reason\":\"" + CANARY + "\"}")));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(data(ok).path("config_version").asInt()).isEqualTo(2);
        assertThat(data(ok).path("changes").get(0).path("field").asText()).isEqualTo("max_batch_size");
        assertThat(data(ok).path("changes").get(0).path("new_value").asInt()).isEqualTo(500);
    }

    @Test
    @Order(3)
    void suspend_revokes_tokens_resume_needs_new_ones_and_keys_rotate() {
        ApiClient.Response issued = api.postJson(
                "/api/v1/admin/tenants/" + T + "/tokens",
                admin,
                "{\"sub\":\"vendor-dana\",\"role\":\"tenant_admin\",\"scopes\":[\"ingest\",\"audit\"]}");
        String token = data(issued).path("token").asText();
        assertThat(api.get("/api/v1/ingest/" + T + "/limits", token).status()).isEqualTo(200);

        ApiClient.Response suspended =
                api.postJson("/api/v1/admin/tenants/" + T + "/suspend", admin, "{\"reason\":\"" + CANARY + "\"}");
        assertThat(data(suspended).path("previous_state").asText()).isEqualTo("ACTIVE");
        assertThat(data(suspended).path("key_epoch").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/ingest/" + T + "/limits", token).errorCode())
                .isEqualTo("TOKEN_REVOKED");
        assertThat(api.postJson(
                                "/api/v1/admin/tenants/" + T + "/tokens",
                                admin,
                                "{\"sub\":\"vendor-dana\",\"role\":\"tenant_admin\",\"scopes\":[\"ingest\"]}")
                        .status())
                .isEqualTo(409);
        assertThat(api.postJson("/api/v1/admin/tenants/" + T + "/suspend", admin, "{\"reason\":\"again\"}")
                        .errorCode())
                .isEqualTo("INVALID_STATE_TRANSITION");

        assertThat(api.postJson("/api/v1/admin/tenants/" + T + "/resume", admin, "{\"reason\":\"" + CANARY + "\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.get("/api/v1/ingest/" + T + "/limits", token).errorCode())
                .isEqualTo("TOKEN_REVOKED");

        ApiClient.Response rotated =
                api.postJson("/api/v1/admin/tenants/" + T + "/keys/rotate", admin, "{\"reason\":\"" + CANARY + "\"}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(202);
        assertThat(data(rotated).path("new_version").asInt()).isEqualTo(2);
        assertThat(data(api.get("/api/v1/admin/tenants/" + T + "/keys", admin)).path("versions"))
                .hasSize(2);
    }

    @Test
    @Order(4)
    void an_auditor_queries_verifies_and_exports_the_tenants_chain() throws Exception {
        String auditor = data(api.postJson(
                        "/api/v1/admin/tenants/" + T + "/tokens",
                        admin,
                        "{\"sub\":\"auditor-1\",\"role\":\"auditor\",\"scopes\":[\"audit\"]}"))
                .path("token")
                .asText();
        String base = "/api/v1/audit/" + T;

        JsonNode events = api.get(base + "/events?sort=asc&limit=500", auditor).json();
        List<String> types = new ArrayList<>();
        events.path("data")
                .path("events")
                .forEach(e -> types.add(e.path("event_type").asText()));
        assertThat(types)
                .startsWith("TENANT_CREATED", "TENANT_PROVISION_STARTED", "TENANT_PROVISIONED")
                .contains("TENANT_CONFIG_UPDATED", "TOKEN_ISSUED", "TENANT_SUSPENDED", "TENANT_RESUMED", "KEY_ROTATED");
        assertThat(events.path("meta").path("total").asInt()).isEqualTo(types.size());

        JsonNode firstPage =
                api.get(base + "/events?sort=asc&limit=2&cursor=", auditor).json();
        String cursor = firstPage.path("meta").path("next_cursor").asText();
        JsonNode secondPage = api.get(base + "/events?sort=asc&limit=2&cursor=" + cursor, auditor)
                .json();
        assertThat(secondPage.path("data").path("events").get(0).path("seq").asInt())
                .isEqualTo(3);

        String firstId =
                events.path("data").path("events").get(0).path("event_id").asText();
        JsonNode one = data(api.get(base + "/events/" + firstId, auditor));
        assertThat(one.path("seq").asInt()).isEqualTo(1);
        assertThat(one.path("prev_hash").asText()).isEqualTo("0".repeat(64));

        node.database().database().inTransaction(tx -> node.checkpointer().checkpointNow(tx, TenantId.of(T)));
        JsonNode verified = data(api.get(base + "/verify", auditor));
        assertThat(verified.path("hash_chain_valid").asBoolean()).isTrue();
        assertThat(verified.path("breaks")).isEmpty();
        assertThat(verified.path("checkpoints_checked").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(data(api.get(base + "/checkpoints", auditor)).path("checkpoints"))
                .isNotEmpty();

        assertThat(api.get("/api/v1/audit/globex/events", auditor).errorCode()).isEqualTo("INSUFFICIENT_PERMISSIONS");
        assertThat(api.get("/api/v1/audit/_platform/events", auditor).errorCode())
                .isEqualTo("INSUFFICIENT_PERMISSIONS");
        assertThat(api.get("/api/v1/audit/_platform/events", admin).status()).isEqualTo(200);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        ApiClient.Response requested = api.postJson(
                base + "/export",
                auditor,
                "{\"start_date\":\"" + today + "\",\"end_date\":\"" + today + "\",\"format\":\"jsonl\"}");
        assertThat(requested.status()).as(requested.body()).isEqualTo(202);
        String exportId = data(requested).path("export_id").asText();
        assertThat(requested.header("Location")).endsWith("/export/" + exportId);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> data(api.get(base + "/export/" + exportId, auditor))
                        .path("status")
                        .asText()
                        .equals("completed"));
        JsonNode status = data(api.get(base + "/export/" + exportId, auditor));
        HttpResponse<byte[]> download = java.net.http.HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(node.url()
                                        .orElseThrow()
                                        .resolve(status.path("download_url").asText()))
                                .header("Authorization", "Bearer " + auditor)
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(sha256(download.body())).isEqualTo(status.path("file_sha256").asText());
        SigningKeySigner signing =
                new SigningKeySigner(SigningKey.load(node.config().keys().auditKeyFile()));
        AuditExportVerification offline =
                AuditExportVerifier.verify(new ByteArrayInputStream(download.body()), signing::verify);
        assertThat(offline.problems()).isEmpty();
        assertThat(offline.valid()).isTrue();

        try (Connection c = node.database().database().adminDataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_exports SET expires_at = now() - interval '1 minute' WHERE export_id = '"
                    + exportId + "'");
        }
        assertThat(api.get(status.path("download_url").asText(), auditor).errorCode())
                .isEqualTo("EXPORT_EXPIRED");
        java.util.UUID pending = io.frostbyte.core.Uuid7.random();
        node.database()
                .database()
                .inTransaction(tx -> new io.frostbyte.postgres.PostgresAuditExports(
                                node.database().database().dataSource(), Clock.systemUTC())
                        .create(
                                tx,
                                pending,
                                TenantId.of(T),
                                "csv",
                                LocalDate.now(ZoneOffset.UTC),
                                LocalDate.now(ZoneOffset.UTC),
                                Optional.empty(),
                                true,
                                0));
        assertThat(api.get(base + "/export/" + pending + "/download", auditor).errorCode())
                .isEqualTo("RESOURCE_NOT_READY");
        assertThat(api.get(base + "/export/" + io.frostbyte.core.Uuid7.random() + "/download", auditor)
                        .errorCode())
                .isEqualTo("RESOURCE_NOT_FOUND");

        assertThat(api.postJson(
                                base + "/export",
                                auditor,
                                "{\"start_date\":\"2026-13-01\",\"end_date\":\"" + today + "\"}")
                        .errorCode())
                .isEqualTo("VALIDATION_ERROR");
    }

    @Test
    @Order(5)
    void deprovisioning_needs_confirmation_shreds_the_keys_and_leaves_a_signed_receipt_and_a_valid_chain()
            throws Exception {
        ApiClient.Response mismatch = api.postJson(
                "/api/v1/admin/tenants/" + T + "/deprovision",
                admin,
                "{\"reason\":\"" + CANARY + "\",\"confirm\":true,\"confirm_tenant_id\":\"other-co\"}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.errorCode()).isEqualTo("CONFIRMATION_MISMATCH");
        assertThat(state()).isEqualTo("ACTIVE");

        ApiClient.Response started = api.postJson(
                "/api/v1/admin/tenants/" + T + "/deprovision",
                admin,
                "{\"reason\":\"" + CANARY + "\",\"confirm\":true,\"confirm_tenant_id\":\"" + T + "\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> state().equals("DEPROVISIONED"));

        JsonNode tenant = data(api.get("/api/v1/admin/tenants/" + T, admin));
        JsonNode receipt = tenant.path("deletion_receipt");
        assertThat(receipt.path("crypto_shredded").path("versions_destroyed")).hasSize(2);
        ObjectNode unsigned = receipt.deepCopy();
        unsigned.remove("signature");
        byte[] canonical = AuditEventJson.canonicalize(unsigned);
        String publicKey = data(api.get("/api/v1/keys", null))
                .path("keys")
                .get(0)
                .path("public_key")
                .asText();
        assertThat(SigningKey.verify(
                        publicKey,
                        canonical,
                        receipt.path("signature").path("value").asText()))
                .isTrue();

        assertThat(databaseExists("tenant_lifecycle_co")).isFalse();
        assertThat(dataDir.resolve("tenants").resolve(T)).doesNotExist();
        assertThat(node.keyring().versions(TenantId.of(T)))
                .allMatch(v -> v.status() == io.frostbyte.core.keys.KeyVersion.Status.DESTROYED);
        assertThat(data(api.get("/api/v1/audit/" + T + "/verify", admin))
                        .path("hash_chain_valid")
                        .asBoolean())
                .isTrue();
        assertThat(api.postJson(
                                "/api/v1/admin/tenants",
                                admin,
                                "{\"tenant_id\":\"" + T
                                        + "\",\"tenant_name\":\"again\",\"contact_email\":\"a@b.example\",\"tier\":\"standard\"}")
                        .errorCode())
                .isEqualTo("TENANT_ALREADY_EXISTS");
    }

    @Test
    @Order(6)
    void the_cli_verifies_every_chain() {
        StringWriter out = new StringWriter();
        CommandLine cli = FrostbyteCommand.commandLine(environment());
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("audit", "verify");
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("\"tenant_id\":\"" + T + "\"").contains("\"hash_chain_valid\":true");
    }

    @Test
    @Order(7)
    void no_audit_event_holds_a_reason_a_name_an_email_or_a_token() throws Exception {
        List<String> all = new ArrayList<>();
        try (Connection c = node.database().database().dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT actor, resource_id, details::text FROM audit_events")) {
            while (rows.next()) {
                all.add(rows.getString(1) + "|" + rows.getString(2) + "|" + rows.getString(3));
            }
        }
        assertThat(all).isNotEmpty();
        for (String event : all) {
            assertThat(event).doesNotContain(CANARY, "078-05-1120", EMAIL, NAME, admin, "eyJ");
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
