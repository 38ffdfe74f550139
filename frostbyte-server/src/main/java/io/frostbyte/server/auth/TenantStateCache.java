package io.frostbyte.server.auth;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.TenantStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tenant's state and key epoch as this node last read them (spec/07 TEN-2): re-read every 500 ms and on each
 * {@code frostbyte_tenant_state} notification. A cache older than {@link #MAX_AGE} fails closed: tenant-scoped
 * requests get 503 until it is fresh again. Thread-safe.
 */
public final class TenantStateCache implements AutoCloseable {
    public static final Duration REFRESH_INTERVAL = Duration.ofMillis(500);
    public static final Duration MAX_AGE = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(TenantStateCache.class);

    private record Snapshot(Map<TenantId, TenantStatus> statuses, long loadedNanos) {}

    private final Supplier<List<TenantStatus>> source;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Long.MIN_VALUE);
    private volatile boolean running;
    private Thread refresher;

    public TenantStateCache(Supplier<List<TenantStatus>> source) {
        this.source = requireNonNull(source, "source is null");
    }

    /** Loads once and starts the background refresher. */
    public TenantStateCache start() {
        refresh();
        running = true;
        // a platform thread at high priority: CPU-bound pipeline work must never make the kill-switch view stale
        refresher = Thread.ofPlatform()
                .name("tenant-state-cache")
                .daemon()
                .priority(Thread.MAX_PRIORITY)
                .start(this::refreshLoop);
        return this;
    }

    /** Re-reads every tenant now; called by the refresher and on notifications. A failure keeps the old snapshot. */
    public void refresh() {
        long started = System.nanoTime();
        try {
            Map<TenantId, TenantStatus> statuses =
                    source.get().stream().collect(Collectors.toUnmodifiableMap(TenantStatus::tenantId, s -> s));
            snapshot = new Snapshot(statuses, started);
        } catch (RuntimeException e) {
            LOG.warn("tenant state refresh failed: {}", e.getClass().getName());
        }
    }

    private void refreshLoop() {
        while (running) {
            LockSupport.parkNanos(REFRESH_INTERVAL.toNanos());
            if (running) {
                refresh();
            }
        }
    }

    /** Seconds since the last successful load; infinite before the first. */
    public double ageSeconds() {
        Snapshot current = snapshot;
        if (current.loadedNanos() == Long.MIN_VALUE) {
            return Double.POSITIVE_INFINITY;
        }
        return (System.nanoTime() - current.loadedNanos()) / 1e9;
    }

    public boolean fresh() {
        return ageSeconds() <= MAX_AGE.toMillis() / 1000.0;
    }

    /**
     * The tenant's status from a fresh snapshot.
     *
     * @throws FrostbyteException {@code SERVICE_UNAVAILABLE} when the cache is stale (fail closed)
     */
    public Optional<TenantStatus> status(TenantId tenantId) {
        Snapshot current = snapshot;
        if (!fresh()) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "Tenant state is not current on this node.");
        }
        return Optional.ofNullable(current.statuses().get(tenantId));
    }

    /** Every tenant's status in the current snapshot, stale or not (for metrics and the platform view). */
    public Map<TenantId, TenantStatus> all() {
        return snapshot.statuses();
    }

    @Override
    public void close() {
        running = false;
        if (refresher != null) {
            LockSupport.unpark(refresher);
        }
    }
}
