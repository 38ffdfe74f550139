package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on {@value PostgresTenantRegistry#CHANNEL} over one dedicated connection and hands each changed tenant's id
 * to a callback, so an API node refreshes its tenant cache within a second of a commit (spec/07 TEN-2).
 *
 * <p>The listening runs on one virtual thread, which also calls the callbacks, one at a time, in notification order; a
 * callback that throws is logged and does not stop the listener. When the connection fails, the listener reconnects
 * with a backoff of 100 ms doubling to 5 s; notifications sent while it was disconnected are lost, so {@code
 * onConnected} runs after every successful {@code LISTEN} (the first one included) for the caller to re-read all
 * tenants. A {@code SELECT 1} every 10 s of silence detects a connection that died without an error.
 *
 * <p>Thread-safe; {@link #close()} is idempotent and waits up to 5 s for the thread to end.
 */
public final class TenantStateListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TenantStateListener.class);
    private static final int POLL_MILLIS = 250;
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Opens a new physical connection, e.g. {@link Database#openDedicatedConnection()}. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final ConnectionSource source;
    private final Consumer<TenantId> onChange;
    private final Runnable onConnected;
    private final AtomicLong connections = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Connection current;

    private TenantStateListener(ConnectionSource source, Consumer<TenantId> onChange, Runnable onConnected) {
        this.source = source;
        this.onChange = onChange;
        this.onConnected = onConnected;
        this.thread = Thread.ofVirtual().name("frostbyte-tenant-listener").unstarted(this::run);
    }

    /**
     * Starts listening.
     *
     * @param onChange called with the id of each tenant whose state, epoch or embedding halt changed
     * @param onConnected called after each (re)connection, when notifications may have been missed
     */
    public static TenantStateListener start(
            ConnectionSource source, Consumer<TenantId> onChange, Runnable onConnected) {
        TenantStateListener listener = new TenantStateListener(
                requireNonNull(source, "source is null"),
                requireNonNull(onChange, "onChange is null"),
                requireNonNull(onConnected, "onConnected is null"));
        listener.thread.start();
        return listener;
    }

    /** Whether the listener currently holds a listening connection. */
    public boolean connected() {
        return connected;
    }

    /** How many times a connection was established and {@code LISTEN} issued. */
    public long connections() {
        return connections.get();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(current);
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (!closed) {
            try (Connection connection = source.open()) {
                current = connection;
                if (closed) {
                    return;
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + PostgresTenantRegistry.CHANNEL);
                }
                connected = true;
                connections.incrementAndGet();
                backoff = MIN_BACKOFF;
                safely(onConnected);
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn(
                        "tenant state listener lost its connection ({}, SQLState {}); reconnecting in {} ms",
                        e.getClass().getSimpleName(),
                        e instanceof SQLException sql ? sql.getSQLState() : "none",
                        backoff.toMillis());
            } finally {
                connected = false;
                current = null;
            }
            if (!sleep(backoff)) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void listen(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long lastHeard = System.nanoTime();
        while (!closed) {
            PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                lastHeard = System.nanoTime();
                for (PGNotification notification : notifications) {
                    deliver(notification.getParameter());
                }
            } else if (System.nanoTime() - lastHeard > HEARTBEAT.toNanos()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastHeard = System.nanoTime();
            }
        }
    }

    private void deliver(String payload) {
        if (!TenantId.isValid(payload) && !TenantId.PLATFORM.value().equals(payload)) {
            LOG.warn("ignoring a tenant state notification whose payload is not a tenant id");
            return;
        }
        TenantId tenantId = TenantId.of(payload);
        try {
            onChange.accept(tenantId);
        } catch (RuntimeException e) {
            LOG.warn(
                    "tenant state callback failed for {} ({})",
                    tenantId,
                    e.getClass().getName());
        }
    }

    private static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn(
                    "tenant state onConnected callback failed ({})",
                    e.getClass().getName());
        }
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing only to wake the listening thread
        }
    }
}
