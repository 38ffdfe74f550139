package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts its own servers on its own directories; skipped when the tests run against an external server. */
class EmbeddedPostgresServerIT {
    @TempDir
    Path temp;

    @BeforeAll
    static void onlyEmbedded() {
        assumeFalse(PostgresTestSupport.external(), "embedded server tests are skipped in external mode");
    }

    @Test
    void a_restart_on_the_same_directory_keeps_the_data() throws SQLException {
        Path directory = temp.resolve("postgres");
        int firstPort;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory)) {
            firstPort = server.port();
            assertThat(server.superuserJdbcUrl())
                    .isEqualTo("jdbc:postgresql://127.0.0.1:" + firstPort + "/postgres?user=postgres");
            execute(server, "CREATE TABLE kept (id int PRIMARY KEY, note text)");
            execute(server, "INSERT INTO kept VALUES (1, 'before restart')");
        }

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory)) {
            assertThat(queryStrings(server, "SELECT note FROM kept WHERE id = 1"))
                    .containsExactly("before restart");
            assertThat(queryStrings(server, "SHOW listen_addresses")).containsExactly("127.0.0.1");
            assertThat(queryStrings(server, "SHOW synchronous_commit")).containsExactly("on");
        }
    }

    @Test
    void refuses_a_second_server_on_a_directory_in_use_and_leaves_the_first_running() throws SQLException {
        Path directory = temp.resolve("postgres");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(directory))
                    .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("in use");
                    });
            assertThat(queryStrings(server, "SELECT 'still up'")).containsExactly("still up");
        }
    }

    @Test
    void starts_after_a_crash_that_left_the_postmaster_running() throws Exception {
        Path directory = temp.resolve("postgres");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        OrphanedPostmasterMain.class.getName(),
                        directory.toString())
                .redirectErrorStream(true)
                .start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            lines.lines().forEach(output::add);
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).anyMatch(line -> line.startsWith("READY "));
        assertThat(directory.resolve("postmaster.pid")).exists();

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(directory)) {
            assertThat(queryStrings(server, "SELECT note FROM survivor")).containsExactly("written before the crash");
        }
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection connection = server.superuserDataSource("postgres").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> queryStrings(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection connection = server.superuserDataSource("postgres").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
