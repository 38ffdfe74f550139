package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.PlatformLimits;
import io.frostbyte.core.tenant.ProvisioningSchedule;
import io.frostbyte.core.tenant.TenantRegistration;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.Tier;
import io.frostbyte.postgres.audit.TestEd25519Signer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Two tenants provisioned for real on the test server: their databases and roles are isolated from each other. */
class TenantIsolationIT {
    private static final String SUFFIX =
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    private static final TenantId A = TenantId.of("iso-a-" + SUFFIX);
    private static final TenantId B = TenantId.of("iso-b-" + SUFFIX);
    private static final String ADMIN = "user:ops-admin";

    private static TestDatabase db;
    private static DataSource admin;
    private static TenantDatabaseStep step;
    private static TenantDatabases databases;
    private static PostgresTenantLifecycle lifecycle;
    private static final RecordingAuditLog AUDIT = new RecordingAuditLog();

    @BeforeAll
    static void provisionTwoTenants() {
        db = PostgresTestSupport.freshDatabase(4);
        JdbcUrl superuser = PostgresTestSupport.superuserUrl();
        PGSimpleDataSource simple = new PGSimpleDataSource();
        simple.setURL(superuser.withoutCredentials().url());
        superuser.user().ifPresent(simple::setUser);
        superuser.password().ifPresent(simple::setPassword);
        admin = simple;
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        ReversibleSealer sealer = new ReversibleSealer();
        step = new TenantDatabaseStep(admin, db.dataSource(), superuser, sealer, clock);
        databases = new TenantDatabases(db.dataSource(), superuser, sealer, TenantDatabases.DEFAULT_POOL_SIZE);
        lifecycle = new PostgresTenantLifecycle(
                db.dataSource(),
                AUDIT,
                new TestEd25519Signer(),
                List.of(step),
                new PostgresTenantLifecycle.Settings(
                        PlatformLimits.defaults(), new ProvisioningSchedule(List.of(), d -> {}), 30),
                Runnable::run,
                databases::close,
                clock);
        for (TenantId tenant : List.of(A, B)) {
            lifecycle.create(
                    new TenantRegistration(
                            Optional.of(tenant), tenant.value(), "ops@example.org", Tier.STANDARD, Map.of()),
                    ADMIN);
            lifecycle.provision(tenant, ADMIN, Optional.empty());
        }
    }

    @AfterAll
    static void dropEverything() throws Exception {
        databases.close();
        for (TenantId tenant : List.of(A, B)) {
            step.deprovision(tenant);
        }
        db.close();
    }

    @Test
    void both_tenants_are_active_with_their_own_database_owned_by_their_own_role() throws SQLException {
        for (TenantId tenant : List.of(A, B)) {
            assertThat(lifecycle.require(tenant).state()).isEqualTo(TenantState.ACTIVE);
            assertThat(queryString(
                            admin,
                            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?",
                            "tenant_" + tenant.sqlName()))
                    .isEqualTo("tenant_" + tenant.sqlName() + "_app");
        }
        assertThat(AUDIT.last(B, io.frostbyte.core.audit.EventType.TENANT_PROVISIONED)
                        .details())
                .containsEntry(
                        "resources",
                        new java.util.TreeMap<>(Map.of(
                                "database",
                                "tenant_" + B.sqlName(),
                                "database_role",
                                "tenant_" + B.sqlName() + "_app")));
    }

    @Test
    void the_password_is_stored_sealed_and_opens_for_its_tenant_only() throws SQLException {
        byte[] sealed = db.database().inTransaction(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("SELECT sealed FROM tenant_secrets WHERE tenant_id = ? AND name = ?")) {
                s.setString(1, A.value());
                s.setString(2, TenantDatabaseStep.SECRET);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getBytes(1);
                }
            }
        });
        String password = step.password(A).orElseThrow();

        assertThat(password).matches("[A-Za-z0-9_-]{43}");
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(password);
        assertThatThrownBy(() -> new ReversibleSealer().open(B, sealed))
                .isInstanceOf(io.frostbyte.core.FrostbyteException.class);
    }

    @Test
    void a_tenant_role_cannot_connect_to_another_tenants_database_but_can_connect_to_its_own() throws SQLException {
        String passwordA = step.password(A).orElseThrow();

        assertThatThrownBy(() -> step.connectAs(TenantDatabaseStep.roleName(A), passwordA, "tenant_" + B.sqlName())
                        .close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("permission denied for database");
                });
        try (Connection own = step.connectAs(TenantDatabaseStep.roleName(A), passwordA, "tenant_" + A.sqlName());
                Statement statement = own.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_user, current_database()")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("tenant_" + A.sqlName() + "_app");
            assertThat(rows.getString(2)).isEqualTo("tenant_" + A.sqlName());
        }
    }

    @Test
    void tenant_pools_connect_as_the_tenant_role_to_the_tenant_database() throws SQLException {
        try (Connection connection = databases.dataSource(B).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS probe (id int)");
            statement.execute("INSERT INTO probe VALUES (7)");
            try (ResultSet rows =
                    statement.executeQuery("SELECT current_user, current_database(), sum(id) FROM probe")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("tenant_" + B.sqlName() + "_app");
                assertThat(rows.getString(2)).isEqualTo("tenant_" + B.sqlName());
                assertThat(rows.getLong(3)).isGreaterThanOrEqualTo(7);
            }
        }
        assertThat(databases.isOpen(B)).isTrue();
    }

    @Test
    void deprovisioning_one_tenant_drops_its_database_role_and_secret_and_leaves_the_other_untouched()
            throws Exception {
        TenantId c = TenantId.of("iso-c-" + SUFFIX);
        lifecycle.create(
                new TenantRegistration(Optional.of(c), c.value(), "ops@example.org", Tier.STANDARD, Map.of()), ADMIN);
        lifecycle.provision(c, ADMIN, Optional.empty());
        try (Connection open = databases.dataSource(c).getConnection()) {
            assertThat(open.isValid(2)).isTrue();
        }

        lifecycle.deprovision(c, ADMIN, "end of contract", true, c.value());

        assertThat(lifecycle.require(c).state()).isEqualTo(TenantState.DEPROVISIONED);
        assertThat(databases.isOpen(c)).isFalse();
        assertThat(count(admin, "SELECT count(*) FROM pg_database WHERE datname = ?", "tenant_" + c.sqlName()))
                .isZero();
        assertThat(count(admin, "SELECT count(*) FROM pg_roles WHERE rolname = ?", "tenant_" + c.sqlName() + "_app"))
                .isZero();
        assertThat(db.queryLong("SELECT count(*) FROM tenant_secrets WHERE tenant_id = '" + c.value() + "'"))
                .isZero();
        assertThat(lifecycle.require(c).deletionReceipt().orElseThrow().get("stores_verified_empty"))
                .isEqualTo(List.of("tenant_database", "control_metadata"));
        step.verifyGone(c);
        for (TenantId untouched : List.of(A, B)) {
            assertThat(lifecycle.require(untouched).state()).isEqualTo(TenantState.ACTIVE);
            step.verify(untouched);
        }
    }

    private static String queryString(DataSource source, String sql, String parameter) throws SQLException {
        try (Connection connection = source.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static long count(DataSource source, String sql, String parameter) throws SQLException {
        return Long.parseLong(queryString(source, sql, parameter));
    }
}
