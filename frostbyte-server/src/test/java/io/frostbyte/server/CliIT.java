package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.frostbyte.server.cli.FrostbyteCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: config show, token issue against a real database, version and usage. */
class CliIT {
    @TempDir
    static Path dataDir;

    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FrostbyteCommand.commandLine(environment);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Map<String, String> environment() {
        return Map.of(
                "FROSTBYTE_DATA_DIR",
                dataDir.toString(),
                "FROSTBYTE_DB__URL",
                db.url().url());
    }

    @Test
    void config_show_prints_every_key_with_its_source_and_redacts_secrets() {
        Run run = run(environment(), "config", "show");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("server.port: 8080    # default").contains("db.url: '***'    # env");
        assertThat(run.out()).doesNotContain(db.url().url());
    }

    @Test
    void config_show_describe_documents_every_key_with_its_default() {
        Run run = run(environment(), "config", "show", "--describe");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("# HTTP port; 0 picks a free one. Default: 8080.\nserver.port: 8080");
        assertThat(run.out()).contains("Default: embedded: 127.0.0.1, scaled: 0.0.0.0, offline: 0.0.0.0.");
        assertThat(run.out().indexOf("shape:")).isLessThan(run.out().indexOf("server.port:"));
    }

    @Test
    void an_invalid_configuration_stops_with_a_message_naming_the_key() {
        Run run = run(Map.of("FROSTBYTE_SERVER__PORT", "-1"), "config", "show");

        assertThat(run.exit()).isEqualTo(78);
        assertThat(run.err()).contains("'server.port'");
    }

    @Test
    void token_issue_prints_a_token_the_server_accepts() {
        Run run = run(
                environment(),
                "token",
                "issue",
                "--tenant",
                "_platform",
                "--role",
                "admin",
                "--scopes",
                "admin,audit",
                "--ttl",
                "2h");
        assertThat(run.exit()).as(run.err()).isZero();
        String token = run.out().strip();
        assertThat(token.split("\\.")).hasSize(3);

        try (FrostbyteNode node = FrostbyteNode.start(
                io.frostbyte.server.config.FrostbyteConfig.from(io.frostbyte.server.config.ConfigLoader.load(
                        java.util.Optional.empty(),
                        Map.of(
                                "FROSTBYTE_DATA_DIR",
                                dataDir.toString(),
                                "FROSTBYTE_DB__URL",
                                db.url().url(),
                                "FROSTBYTE_SERVER__PORT",
                                "0"))),
                java.time.Clock.systemUTC(),
                Map.of())) {
            ApiClient api = new ApiClient(node.url().orElseThrow());
            assertThat(api.get("/api/v1/admin/platform", token).status()).isEqualTo(200);
        }
    }

    @Test
    void token_issue_refuses_unknown_tenants_roles_and_lifetimes() {
        assertThat(run(
                                environment(),
                                "token",
                                "issue",
                                "--tenant",
                                "ghost-co",
                                "--role",
                                "tenant_user",
                                "--scopes",
                                "query")
                        .err())
                .contains("does not exist");
        assertThat(run(environment(), "token", "issue", "--tenant", "_platform", "--role", "root", "--scopes", "admin")
                        .exit())
                .isNotZero();
        assertThat(run(
                                environment(),
                                "token",
                                "issue",
                                "--tenant",
                                "_platform",
                                "--role",
                                "admin",
                                "--scopes",
                                "admin",
                                "--ttl",
                                "91d")
                        .exit())
                .isNotZero();
    }

    @Test
    void version_and_help_are_available_on_every_command() {
        assertThat(run(Map.of(), "--version").out()).startsWith("frostbyte ");
        for (String[] args : new String[][] {
            {"--help"}, {"serve", "--help"}, {"config", "show", "--help"}, {"token", "issue", "--help"}
        }) {
            Run run = run(Map.of(), args);
            assertThat(run.exit()).isZero();
            assertThat(run.out()).contains("Usage:");
        }
    }
}
