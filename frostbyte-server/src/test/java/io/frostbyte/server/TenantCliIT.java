package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.cli.FrostbyteCommand;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.FrostbyteConfig;
import io.frostbyte.server.http.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code frostbyte tenant ...} and {@code frostbyte audit export} against a running server. */
class TenantCliIT {
    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private static TestDatabase db;
    private static FrostbyteNode node;
    private static Map<String, String> environment;

    @BeforeAll
    static void start() {
        db = PostgresTestSupport.freshDatabase();
        Map<String, String> serverEnvironment = Map.of(
                "FROSTBYTE_DATA_DIR", dataDir.toString(),
                "FROSTBYTE_SERVER__PORT", "0",
                "FROSTBYTE_DB__URL", db.url().url());
        node = FrostbyteNode.start(
                FrostbyteConfig.from(ConfigLoader.load(Optional.empty(), serverEnvironment)),
                Clock.systemUTC(),
                Map.of());
        environment = new HashMap<>(serverEnvironment);
        environment.put("FROSTBYTE_URL", node.url().orElseThrow().toString());
        environment.put("FROSTBYTE_TOKEN_FILE", node.adminTokenFile().toString());
    }

    @AfterAll
    static void stop() throws Exception {
        AuditContent.assertNoneContains(
                node.database().database().dataSource(),
                "Cli Vendor",
                "ops@cli.example",
                "incident review",
                "cleared",
                "bigger batches",
                "contract ended");
        node.close();
        db.close();
    }

    private record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError(out + err, e);
            }
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FrostbyteCommand.commandLine(environment);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void an_operator_runs_a_tenant_through_its_life_from_the_command_line() {
        Run created = run(
                "tenant",
                "create",
                "--name",
                "Cli Vendor",
                "--email",
                "ops@cli.example",
                "--tier",
                "standard",
                "--set",
                "max_batch_size=300");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.json().path("tenant_id").asText()).isEqualTo("cli-vendor");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> run("tenant", "get", "cli-vendor")
                        .json()
                        .path("state")
                        .asText()
                        .equals("ACTIVE"));

        Run listed = run("tenant", "list", "--state", "ACTIVE");
        assertThat(listed.json().path("tenants").findValuesAsText("tenant_id")).contains("cli-vendor");

        Run token = run("tenant", "token", "cli-vendor", "--role", "tenant_admin", "--scopes", "ingest,audit");
        assertThat(token.json().path("token").asText()).contains(".");

        Run suspended = run("tenant", "suspend", "cli-vendor", "--reason", "incident review");
        assertThat(suspended.json().path("current_state").asText()).isEqualTo("SUSPENDED");
        Run twice = run("tenant", "suspend", "cli-vendor", "--reason", "again");
        assertThat(twice.exit()).isEqualTo(1);
        assertThat(twice.err()).contains("INVALID_STATE_TRANSITION");
        assertThat(run("tenant", "resume", "cli-vendor", "--reason", "cleared")
                        .json()
                        .path("current_state")
                        .asText())
                .isEqualTo("ACTIVE");

        Run configured =
                run("tenant", "config", "cli-vendor", "--set", "max_batch_size=400", "--reason", "bigger batches");
        assertThat(configured.json().path("config_version").asInt()).isEqualTo(2);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Path archive = work.resolve("cli-vendor-audit.tar.gz");
        Run exported = run(
                "audit",
                "export",
                "--tenant",
                "cli-vendor",
                "--from",
                today,
                "--to",
                today,
                "--out",
                archive.toString());
        assertThat(exported.exit()).as(exported.err()).isZero();
        assertThat(archive).isNotEmptyFile();
        assertThat(exported.json().path("event_count").asInt()).isGreaterThanOrEqualTo(6);

        Run wrongConfirm =
                run("tenant", "deprovision", "cli-vendor", "--reason", "contract ended", "--confirm", "cli-vendr");
        assertThat(wrongConfirm.err()).contains("CONFIRMATION_MISMATCH");
        Run deprovisioned =
                run("tenant", "deprovision", "cli-vendor", "--reason", "contract ended", "--confirm", "cli-vendor");
        assertThat(deprovisioned.exit()).as(deprovisioned.err()).isZero();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> run("tenant", "get", "cli-vendor")
                        .json()
                        .path("state")
                        .asText()
                        .equals("DEPROVISIONED"));
        assertThat(run("tenant", "get", "cli-vendor")
                        .json()
                        .path("deletion_receipt")
                        .path("signature")
                        .path("alg")
                        .asText())
                .isEqualTo("Ed25519");
    }

    @Test
    void a_client_without_a_reachable_server_or_token_gets_a_clear_error() {
        Map<String, String> saved = environment;
        try {
            environment = Map.of("FROSTBYTE_URL", "http://127.0.0.1:1", "FROSTBYTE_TOKEN", "x");
            Run unreachable = run("tenant", "list");
            assertThat(unreachable.exit()).isNotZero();
            assertThat(unreachable.err()).contains("cannot reach");
            environment = Map.of("FROSTBYTE_URL", saved.get("FROSTBYTE_URL"), "FROSTBYTE_TOKEN", "not-a-token");
            Run unauthenticated = run("tenant", "list");
            assertThat(unauthenticated.exit()).isEqualTo(1);
            assertThat(unauthenticated.err()).contains("AUTHENTICATION_REQUIRED");
        } finally {
            environment = saved;
        }
    }
}
