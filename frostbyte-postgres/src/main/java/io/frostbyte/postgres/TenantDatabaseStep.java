package io.frostbyte.postgres;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.ProvisioningStep;
import io.frostbyte.core.tenant.SecretSealer;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Provisioning step 2 and deprovisioning step 5 (spec/07 §7.2, §7.4): the tenant's PostgreSQL database {@code
 * tenant_<id>} owned by the login role {@code tenant_<id>_app}, whose random password (32 bytes, base64url) is kept
 * sealed by the {@link SecretSealer} in {@code tenant_secrets} under the name {@value #SECRET}. {@code CONNECT} on the
 * database is revoked from {@code PUBLIC} and granted to that role only.
 *
 * <p>{@link #verify} connects as the role to its database and, as the isolation check of §7.2 step 5, tries to connect
 * to one other tenant database, expecting {@code 42501} (permission denied). {@link #rollback} and {@link #deprovision}
 * drop the database ({@code WITH (FORCE)}, which terminates its sessions), the role and the secret; {@link #verifyGone}
 * checks all three are absent. Identifiers are built only from {@link TenantId#sqlName()} and quoted. Tenant migrations
 * are applied by {@link #provision} and again whenever
 * {@link TenantDatabases} opens a pool, so tenants created by an older version catch up.
 *
 * <p>Thread-safe. Each call opens and closes its own connections.
 */
public final class TenantDatabaseStep implements ProvisioningStep {
    /** The name of the sealed password in {@code tenant_secrets}. */
    public static final String SECRET = "database_password";

    private static final String PERMISSION_DENIED = "42501";

    private final DataSource admin;
    private final DataSource control;
    private final JdbcUrl server;
    private final SecretSealer sealer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param admin a role with CREATEDB and CREATEROLE (a superuser in the embedded shape), on any database but a
     *     tenant's
     * @param control the control database, where {@code tenant_secrets} lives
     * @param server a URL of the same server (its host, port and parameters are used; database and credentials are
     *     replaced)
     */
    public TenantDatabaseStep(DataSource admin, DataSource control, JdbcUrl server, SecretSealer sealer, Clock clock) {
        this.admin = requireNonNull(admin, "admin is null");
        this.control = requireNonNull(control, "control is null");
        this.server = requireNonNull(server, "server is null").withoutCredentials();
        this.sealer = requireNonNull(sealer, "sealer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** {@code tenant_<id>} with dashes as underscores. */
    public static String databaseName(TenantId tenantId) {
        return "tenant_" + tenantId.sqlName();
    }

    /** {@code tenant_<id>_app} with dashes as underscores. */
    public static String roleName(TenantId tenantId) {
        return "tenant_" + tenantId.sqlName() + "_app";
    }

    @Override
    public String name() {
        return TENANT_DATABASE;
    }

    @Override
    public Map<String, String> provision(TenantId tenantId) throws SQLException {
        String database = databaseName(tenantId);
        String role = roleName(tenantId);
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Arrays.fill(raw, (byte) 0);
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            // the password is base64url: no quote can end the literal. INHERIT: on PostgreSQL 15 the owner's CREATE on
            // schema public comes through the implicit pg_database_owner membership, which NOINHERIT would cut off.
            String credentials = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD '" + password + "'";
            if (exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                statement.execute("ALTER ROLE " + quote(role) + credentials);
            } else {
                statement.execute("CREATE ROLE " + quote(role) + credentials);
            }
            storeSecret(tenantId, password);
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                statement.execute("CREATE DATABASE " + quote(database) + " OWNER " + quote(role) + " ENCODING 'UTF8'");
            }
            statement.execute("REVOKE ALL ON DATABASE " + quote(database) + " FROM PUBLIC");
            statement.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + quote(database) + " TO " + quote(role));
        }
        migrate(server.withDatabase(database).url(), role, password);
        return Map.of("database", database, "database_role", role);
    }

    @Override
    public void verify(TenantId tenantId) throws SQLException {
        String database = databaseName(tenantId);
        String password = password(tenantId)
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR, "tenant " + tenantId + " has no database password"));
        try (Connection connection = connectAs(roleName(tenantId), password, database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_user, current_database()")) {
            rows.next();
            if (!roleName(tenantId).equals(rows.getString(1)) || !database.equals(rows.getString(2))) {
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR, "tenant " + tenantId + " database connection is not its own");
            }
        }
        for (String other : otherTenantDatabases(database)) {
            try (Connection ignored = connectAs(roleName(tenantId), password, other)) {
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR,
                        "isolation check failed: tenant " + tenantId + " can connect to another tenant database");
            } catch (SQLException e) {
                if (!PERMISSION_DENIED.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void rollback(TenantId tenantId) throws SQLException {
        drop(tenantId);
    }

    @Override
    public void deprovision(TenantId tenantId) throws SQLException {
        drop(tenantId);
    }

    @Override
    public void verifyGone(TenantId tenantId) throws SQLException {
        List<String> remaining = new ArrayList<>();
        try (Connection connection = admin.getConnection()) {
            if (exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", databaseName(tenantId))) {
                remaining.add("database");
            }
            if (exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", roleName(tenantId))) {
                remaining.add("role");
            }
        }
        try (Connection connection = control.getConnection()) {
            if (exists(
                    connection,
                    "SELECT 1 FROM tenant_secrets WHERE tenant_id = ? AND name = '" + SECRET + "'",
                    tenantId.value())) {
                remaining.add("secret");
            }
        }
        if (!remaining.isEmpty()) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR,
                    "tenant " + tenantId + " database resources remain: " + String.join(", ", remaining));
        }
    }

    /** Where the tenant database's migrations live. */
    public static final String MIGRATIONS = "classpath:db/tenant";

    /**
     * Applies pending tenant-database migrations as the tenant's own role, so every table belongs to it. Idempotent;
     * Flyway's advisory lock makes concurrent calls safe.
     *
     * @return how many migrations were applied now
     */
    static int migrate(String url, String role, String password) {
        try {
            return Flyway.configure(TenantDatabaseStep.class.getClassLoader())
                    .dataSource(url, role, password)
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .cleanDisabled(true)
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (RuntimeException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR,
                    "tenant database migration failed (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /** The tenant role's password, unsealed; empty when none is stored. For {@link TenantDatabases}. */
    Optional<String> password(TenantId tenantId) throws SQLException {
        return readPassword(control, sealer, tenantId);
    }

    static Optional<String> readPassword(DataSource control, SecretSealer sealer, TenantId tenantId)
            throws SQLException {
        try (Connection connection = control.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT sealed FROM tenant_secrets WHERE tenant_id = ? AND name = ?")) {
            select.setString(1, tenantId.value());
            select.setString(2, SECRET);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                byte[] plain = sealer.open(tenantId, rows.getBytes(1));
                try {
                    return Optional.of(new String(plain, US_ASCII));
                } finally {
                    Arrays.fill(plain, (byte) 0);
                }
            }
        }
    }

    private void drop(TenantId tenantId) throws SQLException {
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("DROP DATABASE IF EXISTS " + quote(databaseName(tenantId)) + " WITH (FORCE)");
            statement.execute("DROP ROLE IF EXISTS " + quote(roleName(tenantId)));
        }
        try (Connection connection = control.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM tenant_secrets WHERE tenant_id = ? AND name = ?")) {
            connection.setAutoCommit(true);
            delete.setString(1, tenantId.value());
            delete.setString(2, SECRET);
            delete.executeUpdate();
        }
    }

    private void storeSecret(TenantId tenantId, String password) throws SQLException {
        byte[] plain = password.getBytes(US_ASCII);
        byte[] sealed;
        try {
            sealed = sealer.seal(tenantId, plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        try (Connection connection = control.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO tenant_secrets (tenant_id, name, sealed, created_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (tenant_id, name) DO UPDATE SET sealed = excluded.sealed,
                                                                    created_at = excluded.created_at
                        """)) {
            connection.setAutoCommit(true);
            upsert.setString(1, tenantId.value());
            upsert.setString(2, SECRET);
            upsert.setBytes(3, sealed);
            Jdbc.setInstant(upsert, 4, clock.instant());
            upsert.executeUpdate();
        }
    }

    private List<String> otherTenantDatabases(String own) throws SQLException {
        List<String> others = new ArrayList<>();
        try (Connection connection = admin.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT datname FROM pg_database"
                        + " WHERE datname LIKE 'tenant\\_%' AND datname <> ? ORDER BY datname LIMIT 1")) {
            select.setString(1, own);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    others.add(rows.getString(1));
                }
            }
        }
        return others;
    }

    Connection connectAs(String role, String password, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", role);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "frostbyte-provisioner");
        return DriverManager.getConnection(server.withDatabase(database).url(), properties);
    }

    /** The server URL without credentials, for pools of tenant databases. */
    JdbcUrl server() {
        return server;
    }

    private static boolean exists(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** A quoted identifier; the names come from a validated {@link TenantId} and hold only {@code [a-z0-9_]}. */
    private static String quote(String identifier) {
        if (!identifier.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain identifier: " + identifier);
        }
        return '"' + identifier + '"';
    }
}
