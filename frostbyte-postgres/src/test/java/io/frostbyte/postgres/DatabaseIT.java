package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DatabaseIT {
    @Test
    void applies_the_migrations_once_and_none_on_the_next_start() {
        JdbcUrl url = PostgresTestSupport.emptyDatabase();
        try {
            int applied;
            try (Database first = Database.connect(url.url(), 1)) {
                applied = first.migrationsApplied();
                assertThat(history(first)).startsWith("1:1:SQL:V1__control.sql");
                assertThat(applied)
                        .isGreaterThanOrEqualTo(1)
                        .isEqualTo(history(first).split(",").length);
                assertThat(first.migrate()).isZero();
            }
            try (Database second = Database.connect(url.url(), 1)) {
                assertThat(second.migrationsApplied()).isZero();
                assertThat(history(second).split(",")).hasSize(applied);
            }
        } finally {
            PostgresTestSupport.drop(url.database());
        }
    }

    @Test
    void seeds_the_platform_tenant_active_at_epoch_one() {
        try (TestDatabase db = PostgresTestSupport.freshDatabase(2)) {
            assertThat(new PostgresTenantRegistry(db.dataSource(), java.time.Clock.systemUTC())
                            .find(io.frostbyte.core.TenantId.PLATFORM))
                    .hasValueSatisfying(status -> {
                        assertThat(status.state()).isEqualTo(io.frostbyte.core.tenant.TenantState.ACTIVE);
                        assertThat(status.keyEpoch()).isEqualTo(1);
                        assertThat(status.tierMultiplier()).isEqualTo(1);
                    });
        }
    }

    @Test
    void creates_the_control_database_on_the_embedded_server_once() {
        assumeFalse(PostgresTestSupport.external(), "needs the embedded server");
        PostgresTestSupport.superuserUrl();
        EmbeddedPostgresServer server = embeddedServer();
        try {
            try (Database database = Database.embedded(server, 2)) {
                assertThat(database.migrationsApplied()).isGreaterThanOrEqualTo(1);
                assertThat(database.redactedUrl()).endsWith("/frostbyte?user=postgres");
            }
            try (Database database = Database.embedded(server, 2)) {
                assertThat(database.migrationsApplied()).isZero();
            }
        } finally {
            PostgresTestSupport.execute("DROP DATABASE IF EXISTS " + Database.CONTROL_DATABASE + " WITH (FORCE)");
        }
    }

    @Test
    void rolls_back_the_whole_transaction_when_the_work_throws() {
        try (TestDatabase db = PostgresTestSupport.freshDatabase(2)) {
            db.execute("CREATE TABLE notes (note text)");

            assertThatThrownBy(() -> db.database().inTransaction(connection -> {
                        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes VALUES (?)")) {
                            insert.setString(1, "never committed");
                            insert.executeUpdate();
                        }
                        throw new IllegalStateException("boom");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(db.queryLong("SELECT count(*) FROM notes")).isZero();
        }
    }

    @Test
    void maps_sql_failures_to_a_content_free_frostbyte_exception() {
        try (TestDatabase db = PostgresTestSupport.freshDatabase(2)) {
            assertThatThrownBy(() -> db.database().inTransaction(connection -> {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("SELECT 'secret-canary'::int");
                        }
                        return null;
                    }))
                    .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                        assertThat(e.getMessage()).isEqualTo("control database error (SQLState 22P02)");
                    });
        }
    }

    @Test
    void pings_within_the_health_check_budget() {
        try (TestDatabase db = PostgresTestSupport.freshDatabase(2)) {
            Duration latency = db.database().ping();

            assertThat(latency).isPositive().isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void keeps_the_password_out_of_its_description_and_its_pool_url() throws Exception {
        JdbcUrl empty = PostgresTestSupport.emptyDatabase();
        String role = empty.database() + "_owner";
        String password = "canary-pw-" + UUID.randomUUID();
        PostgresTestSupport.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        PostgresTestSupport.execute("ALTER DATABASE " + empty.database() + " OWNER TO " + role);
        PostgresTestSupport.grantControlRoles(role);
        String url = empty.withoutCredentials().url()
                + (empty.withoutCredentials().url().contains("?") ? "&" : "?") + "user=" + role + "&password="
                + password;
        try (Database database = Database.connect(url, 1)) {
            assertThat(database.migrationsApplied()).isPositive();
            assertThat(database.toString()).doesNotContain(password).contains("password=***");
            assertThat(database.redactedUrl()).doesNotContain(password);
            try (var connection = database.dataSource().getConnection()) {
                assertThat(connection.getMetaData().getURL()).doesNotContain(password);
                assertThat(connection.getMetaData().getUserName()).isEqualTo(role);
            }
            try (var connection = database.openDedicatedConnection()) {
                assertThat(connection.getMetaData().getURL()).doesNotContain(password);
                assertThat(connection.getMetaData().getUserName()).isEqualTo(role);
            }
        } finally {
            PostgresTestSupport.drop(empty.database());
            PostgresTestSupport.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void runs_application_sessions_as_the_app_role_and_admin_sessions_as_the_login_user() throws Exception {
        try (TestDatabase db = PostgresTestSupport.freshDatabase(2)) {
            assertThat(currentUser(db.dataSource())).isEqualTo("frostbyte_app");
            assertThat(currentUser(db.adminDataSource()))
                    .isEqualTo(db.url().user().orElseThrow());
            try (var connection = db.database().openDedicatedConnection();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT current_user")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("frostbyte_app");
            }
        }
    }

    @Test
    void lets_the_app_role_write_every_control_table_but_not_create_tables() {
        try (TestDatabase db = PostgresTestSupport.freshDatabase(2)) {
            db.database().inTransaction(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO rate_limit_buckets (id, state, expires_at) VALUES ('b', NULL, 1)");
                    statement.execute("UPDATE rate_limit_buckets SET expires_at = 2 WHERE id = 'b'");
                    statement.execute("DELETE FROM rate_limit_buckets WHERE id = 'b'");
                }
                return null;
            });
            assertThatThrownBy(() -> db.database().inTransaction(connection -> {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("CREATE TABLE intruder (x int)");
                        }
                        return null;
                    }))
                    .isInstanceOfSatisfying(
                            FrostbyteException.class,
                            e -> assertThat(e.getMessage()).isEqualTo("control database error (SQLState 42501)"));
        }
    }

    @Test
    void grants_the_app_role_tables_that_later_migrations_create() {
        try (TestDatabase db = PostgresTestSupport.freshDatabase(2)) {
            db.execute("CREATE TABLE later_table (x int)");

            long inserted = db.database().inTransaction(connection -> {
                try (Statement statement = connection.createStatement()) {
                    return (long) statement.executeUpdate("INSERT INTO later_table VALUES (1)");
                }
            });

            assertThat(inserted).isEqualTo(1);
        }
    }

    @Test
    void refuses_a_non_postgresql_url() {
        assertThatThrownBy(() -> Database.connect("jdbc:h2:mem:x", 1))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    private static String history(Database database) {
        return Jdbc.inTransaction(database.adminDataSource(), connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT string_agg(installed_rank || ':' || coalesce(version, '-') || ':' || type || ':'"
                                    + " || script, ',' ORDER BY installed_rank) FROM flyway_schema_history"
                                    + " WHERE success")) {
                rows.next();
                return rows.getString(1);
            }
        });
    }

    private static String currentUser(javax.sql.DataSource dataSource) throws java.sql.SQLException {
        try (var connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_user")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static EmbeddedPostgresServer embeddedServer() {
        return PostgresTestSupport.embeddedServer().orElseThrow();
    }
}
