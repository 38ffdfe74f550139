package io.frostbyte.server.intake;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes staging objects older than a day (spec/01 INT-4): intake deletes a request's staging objects as soon as the
 * request ends, so any left are from a process that stopped mid-request. Sweeps every live tenant's {@code staging/}
 * prefix on a timer; a request still streaming is far younger than the limit. Logs counts only.
 */
public final class StagingJanitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StagingJanitor.class);
    /** Age from which a staging object is an orphan. */
    public static final Duration MAX_AGE = Duration.ofHours(24);

    private final ObjectStore objects;
    private final Supplier<Collection<TenantId>> tenants;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    /**
     * @param tenants the tenants whose object namespaces exist (provisioned, not being deprovisioned)
     */
    public StagingJanitor(ObjectStore objects, Supplier<Collection<TenantId>> tenants, Clock clock) {
        this.objects = requireNonNull(objects, "objects is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("staging-janitor").daemon().factory());
    }

    /** Sweeps after {@code first}, then every {@code every}. */
    public StagingJanitor start(Duration first, Duration every) {
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        sweep();
                    } catch (RuntimeException e) {
                        LOG.warn("staging sweep failed: {}", e.getClass().getName());
                    }
                },
                first.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Deletes every tenant's staging objects older than {@link #MAX_AGE}; returns how many it deleted. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(MAX_AGE);
        int deleted = 0;
        for (TenantId tenantId : tenants.get()) {
            try {
                deleted += sweep(tenantId, cutoff);
            } catch (FrostbyteException e) {
                // deprovisioned meanwhile, or the store is down: the next sweep tries again
                LOG.warn("staging sweep of tenant {} stopped: {}", tenantId, e.code());
            }
        }
        if (deleted > 0) {
            LOG.info("staging sweep deleted {} orphaned staging object(s)", deleted);
        }
        return deleted;
    }

    private int sweep(TenantId tenantId, Instant cutoff) {
        int deleted = 0;
        for (ObjectKey key : objects.list(tenantId, "staging/")) {
            Instant written;
            try {
                written = objects.modifiedAt(tenantId, key);
            } catch (FrostbyteException e) {
                if (e.code() == ErrorCode.RESOURCE_NOT_FOUND) {
                    continue; // its request finished and deleted it meanwhile
                }
                throw e;
            }
            if (written.isBefore(cutoff)) {
                objects.delete(tenantId, key);
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
