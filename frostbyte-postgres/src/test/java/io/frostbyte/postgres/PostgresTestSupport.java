package io.frostbyte.postgres;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PostgreSQL for tests: one server per test JVM and a fresh, migrated database per test class.
 *
 * <p>By default the server is an {@link EmbeddedPostgresServer} on a temporary directory, started on first use and
 * stopped (directory deleted) by a shutdown hook. When the environment variable {@value #EXTERNAL_URL} holds a
 * superuser JDBC URL (e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=postgres}), that
 * server is used instead and nothing is started; the databases this JVM created there are dropped at exit.
 *
 * <p>Fresh databases are copies of a template migrated once per JVM, so a new one costs a {@code CREATE DATABASE}
 * rather than a Flyway run. Names carry a per-JVM random prefix, so several JVMs can share one external server.
 *
 * <pre>{@code
 * private static TestDatabase db;
 * @BeforeAll static void database() { db = PostgresTestSupport.freshDatabase(); }
 * @AfterAll static void dropDatabase() { db.close(); }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PostgresTestSupport {
    /** The environment variable that switches to an external server. */
    public static final String EXTERNAL_URL = "FROSTBYTE_TEST_DB_URL";

    private static final String PREFIX =
            "fbt_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private static final String TEMPLATE = PREFIX + "_template";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();

    private static JdbcUrl superuser;
    private static EmbeddedPostgresServer embedded;
    private static boolean templateReady;

    private PostgresTestSupport() {}

    /** Whether {@value #EXTERNAL_URL} points the tests at an external server. */
    public static boolean external() {
        String url = System.getenv(EXTERNAL_URL);
        return url != null && !url.isBlank();
    }

    /** The superuser URL of the server's maintenance database, starting the embedded server if needed. */
    public static synchronized JdbcUrl superuserUrl() {
        if (superuser == null) {
            if (external()) {
                superuser = JdbcUrl.parse(System.getenv(EXTERNAL_URL).trim());
            } else {
                embedded = startEmbedded();
                superuser = JdbcUrl.parse(embedded.superuserJdbcUrl());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(PostgresTestSupport::cleanUp, "frostbyte-test-pg-stop"));
        }
        return superuser;
    }

    /** The shared embedded server; empty in external mode. */
    public static synchronized Optional<EmbeddedPostgresServer> embeddedServer() {
        superuserUrl();
        return Optional.ofNullable(embedded);
    }

    /** A new database with the control migrations applied and a pool of 8; drop it with {@link TestDatabase#close()}. */
    public static TestDatabase freshDatabase() {
        return freshDatabase(8);
    }

    public static TestDatabase freshDatabase(int poolSize) {
        ensureTemplate();
        String name = PREFIX + "_" + COUNTER.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        CREATED.add(name);
        JdbcUrl url = superuserUrl().withDatabase(name);
        return new TestDatabase(name, url, Database.connect(url.url(), poolSize));
    }

    /** A new empty database (nothing migrated); returns its superuser URL. Dropped at JVM exit. */
    public static JdbcUrl emptyDatabase() {
        String name = PREFIX + "_" + COUNTER.incrementAndGet();
        execute("CREATE DATABASE " + name);
        CREATED.add(name);
        return superuserUrl().withDatabase(name);
    }

    /**
     * Creates the control roles ({@value Database#APP_ROLE}, {@code frostbyte_audit_owner}) if missing and grants them
     * to {@code role}, as an operator does for a migrating user that is not a superuser.
     */
    public static void grantControlRoles(String role) {
        if (!role.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("role must be a plain lower-case identifier: " + role);
        }
        execute("DO $$ BEGIN"
                + " IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frostbyte_audit_owner') THEN"
                + " CREATE ROLE frostbyte_audit_owner NOLOGIN; END IF;"
                + " IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frostbyte_app') THEN"
                + " CREATE ROLE frostbyte_app NOLOGIN; END IF; END $$");
        execute("GRANT frostbyte_audit_owner, frostbyte_app TO " + role);
    }

    /** Drops a database this JVM created, terminating its sessions. */
    public static void drop(String name) {
        if (CREATED.remove(name)) {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** Runs one statement on the maintenance database as superuser. */
    public static void execute(String sql) {
        JdbcUrl url = superuserUrl();
        try (Connection connection =
                        DriverManager.getConnection(url.withoutCredentials().url(), url.credentials());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database statement failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static synchronized void ensureTemplate() {
        if (templateReady) {
            return;
        }
        execute("CREATE DATABASE " + TEMPLATE);
        CREATED.add(TEMPLATE);
        try (Database database =
                Database.connect(superuserUrl().withDatabase(TEMPLATE).url(), 1)) {
            if (database.migrationsApplied() < 1) {
                throw new IllegalStateException("no migration was applied to the template database");
            }
        }
        templateReady = true;
    }

    private static EmbeddedPostgresServer startEmbedded() {
        try {
            Path directory = Files.createTempDirectory("frostbyte-test-pg");
            return EmbeddedPostgresServer.start(directory.resolve("postgres"), 0, false);
        } catch (IOException e) {
            throw new IllegalStateException("could not create a directory for the test PostgreSQL", e);
        }
    }

    private static synchronized void cleanUp() {
        if (embedded != null) {
            embedded.close();
            deleteRecursively(embedded.directory().getParent());
            return;
        }
        for (String name : Set.copyOf(CREATED)) {
            try {
                drop(name);
            } catch (RuntimeException e) {
                // best effort at JVM exit
            }
        }
    }

    private static void deleteRecursively(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a temporary directory; the OS cleans up what is left
        }
    }
}
