package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control database: a HikariCP pool with the Flyway migrations of {@code classpath:db/control} applied at start.
 * Opened either from an external server's JDBC URL or from an {@link EmbeddedPostgresServer}, on which the control
 * database {@value #CONTROL_DATABASE} is created if missing.
 *
 * <p>Credentials in the URL ({@code user}, {@code password} parameters) are moved into connection properties: the URL
 * that the pool, Flyway and the logs see carries no password, and {@link #toString()} shows it redacted.
 *
 * <p>Two sets of privileges: migrations, and {@link #adminDataSource()}, use the credentials of the URL (the owner of
 * the schema, in the embedded shape the superuser); the pool behind {@link #dataSource()} and {@link #inTransaction}
 * switches every session to the role {@value #APP_ROLE} at start ({@code options=-c role=frostbyte_app}), which may
 * read and write the control tables but only insert into and read the audit tables (spec/06 AUD-3). With the superuser
 * as login this is defence in depth (a session could {@code SET ROLE} back); a deployment that wants a hard boundary
 * logs the application in as a member of {@value #APP_ROLE} that is not the schema owner.
 *
 * <p>Thread-safe. {@link #inTransaction} runs each call in its own transaction on a pooled connection.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** The control database's name in the embedded shape. */
    public static final String CONTROL_DATABASE = "frostbyte";

    public static final String MIGRATIONS = "classpath:db/control";

    /** The role application sessions run as (created by migration V3). */
    public static final String APP_ROLE = "frostbyte_app";

    private static final String APP_ROLE_OPTIONS = "-c role=" + APP_ROLE;
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private final JdbcUrl url;
    private final HikariDataSource pool;
    private final HikariDataSource adminPool;
    private final int migrationsApplied;

    private Database(JdbcUrl url, int poolSize) {
        this.url = url;
        // migrations first: the application role the pool switches to is created by them
        this.migrationsApplied = migrate();
        this.pool = pool(url, poolSize);
        this.adminPool = adminPool(url);
    }

    /**
     * Opens the control database of an external server and migrates it.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://db:5432/frostbyte?user=frostbyte&password=...}
     * @param poolSize the pool's maximum number of connections, 1 or more
     * @throws FrostbyteException {@code CONFIG_INVALID} for a malformed URL, {@code SERVICE_UNAVAILABLE} when the
     *     server cannot be reached, {@code INTERNAL_ERROR} when a migration fails
     */
    public static Database connect(String jdbcUrl, int poolSize) {
        return new Database(JdbcUrl.parse(requireNonNull(jdbcUrl, "jdbcUrl is null")), checkPoolSize(poolSize));
    }

    /** Opens (creating it first if missing) the control database {@value #CONTROL_DATABASE} of the embedded server. */
    public static Database embedded(EmbeddedPostgresServer server, int poolSize) {
        requireNonNull(server, "server is null");
        checkPoolSize(poolSize);
        createDatabaseIfMissing(server.superuserDataSource("postgres"), CONTROL_DATABASE);
        return new Database(JdbcUrl.parse(server.jdbcUrl(CONTROL_DATABASE)), poolSize);
    }

    /**
     * Creates a database unless it exists; safe when several processes race to create it.
     *
     * @param maintenance a superuser data source on another database (usually {@code postgres})
     * @param name a plain identifier: lower-case letters, digits and underscores
     * @return whether this call created it
     */
    public static boolean createDatabaseIfMissing(DataSource maintenance, String name) {
        requireNonNull(maintenance, "maintenance is null");
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be a plain lower-case identifier: " + name);
        }
        try (Connection connection = maintenance.getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rows.next()) {
                    return false;
                }
            }
            try {
                statement.execute("CREATE DATABASE " + name + " ENCODING 'UTF8'");
                LOG.info("created database {}", name);
                return true;
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) { // duplicate_database: another process won the race
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw Jdbc.failure(e);
        }
    }

    /**
     * The pooled data source, sessions running as {@value #APP_ROLE}; connections must be closed by whoever borrows
     * them.
     */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * A small pool (at most 2 connections, none kept idle) with the URL's own credentials, for what the application
     * role may not do: migrations, tenant provisioning ({@code CREATE DATABASE}, roles), {@code VACUUM FULL}.
     * Connections must be closed by whoever borrows them.
     */
    public DataSource adminDataSource() {
        return adminPool;
    }

    /** How many migrations this instance applied when it started (0 when the schema was already current). */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    /**
     * Applies pending migrations of {@link #MIGRATIONS}. Safe to call concurrently from several nodes (Flyway takes a
     * PostgreSQL advisory lock).
     *
     * @return how many were applied now
     */
    public int migrate() {
        try {
            // Flyway holds two connections at once (lock and migration); its own unpooled ones keep a small pool free.
            MigrateResult result = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(
                            url.withoutCredentials().url(),
                            url.user().orElse(null),
                            url.password().orElse(null))
                    .locations(MIGRATIONS)
                    .failOnMissingLocations(true)
                    .validateMigrationNaming(true)
                    .cleanDisabled(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info(
                        "applied {} control database migration(s), schema now at version {}",
                        result.migrationsExecuted,
                        result.targetSchemaVersion);
            }
            return result.migrationsExecuted;
        } catch (RuntimeException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR,
                    "control database migration failed (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /**
     * Runs the work in one transaction on a pooled connection: commits when it returns, rolls back when it throws.
     * SQL failures surface as {@link FrostbyteException} ({@code SERVICE_UNAVAILABLE} for connection trouble,
     * serialization failures and deadlocks, else {@code INTERNAL_ERROR}); other exceptions pass through unchanged.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        return Jdbc.inTransaction(pool, requireNonNull(work, "work is null"));
    }

    /**
     * Round-trips {@code SELECT 1}, for health checks.
     *
     * @return the latency
     * @throws FrostbyteException {@code SERVICE_UNAVAILABLE} when the database does not answer within 2 s
     */
    public Duration ping() {
        long start = System.nanoTime();
        CompletableFuture<Void> probe = new CompletableFuture<>();
        Thread.ofVirtual().name("frostbyte-db-ping").start(() -> {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) PING_TIMEOUT.toSeconds());
                statement.execute("SELECT 1");
                probe.complete(null);
            } catch (Throwable e) {
                probe.completeExceptionally(e);
            }
        });
        try {
            probe.get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Duration.ofNanos(System.nanoTime() - start);
        } catch (TimeoutException e) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "control database did not answer within 2 s");
        } catch (ExecutionException e) {
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "control database is unreachable ("
                            + e.getCause().getClass().getSimpleName() + ")",
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted while pinging the database");
        }
    }

    /**
     * Opens a new physical connection outside the pool (for {@code LISTEN}, which must keep one session). The caller
     * closes it.
     */
    public Connection openDedicatedConnection() throws SQLException {
        Properties properties = url.credentials();
        properties.setProperty("ApplicationName", "frostbyte-listener");
        properties.setProperty("options", APP_ROLE_OPTIONS);
        Connection connection = new Driver().connect(url.withoutCredentials().url(), properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not accept the URL", "08001");
        }
        return connection;
    }

    /** The URL with its password redacted. */
    public String redactedUrl() {
        return url.redacted();
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            adminPool.close();
        }
    }

    @Override
    public String toString() {
        return "Database[" + url.redacted() + "]";
    }

    private static HikariDataSource adminPool(JdbcUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("frostbyte-control-admin");
        config.setJdbcUrl(url.withoutCredentials().url());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        config.setInitializationFailTimeout(-1); // connect on first use, not at start
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.addDataSourceProperty("ApplicationName", "frostbyte-admin");
        return new HikariDataSource(config);
    }

    private static int checkPoolSize(int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1: " + poolSize);
        }
        return poolSize;
    }

    private static HikariDataSource pool(JdbcUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("frostbyte-control");
        config.setJdbcUrl(url.withoutCredentials().url());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.addDataSourceProperty("ApplicationName", "frostbyte");
        config.addDataSourceProperty("options", APP_ROLE_OPTIONS);
        // a batch of inserts travels as multi-row INSERTs: one statement per 128 rows instead of one per row
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "control database is unreachable (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }
}
