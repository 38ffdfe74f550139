package io.frostbyte.server.metrics;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.postgres.audit.AuditVerification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit plane's watch (spec/09 §9.2–9.3): every hour it verifies every chain in full and counts each chain found
 * broken in {@code frostbyte_audit_verify_failures_total{tenant_id}} (the {@code AuditVerificationFailed} alert);
 * every minute it reads each chain's last checkpoint time for {@code frostbyte_audit_checkpoint_age_seconds{tenant_id}}
 * (the age itself is computed at scrape time). Logs tenant ids and counts only.
 */
public final class AuditWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWatch.class);
    /** How long {@link #close()} waits for a chain being verified (a chain is read in one transaction). */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final Supplier<List<TenantId>> chains;
    private final Function<TenantId, AuditVerification> verifier;
    private final Supplier<Map<TenantId, Instant>> checkpointTimes;
    private final Metrics metrics;
    private final Clock clock;
    private final MultiGauge checkpointAge;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    /**
     * @param chains the tenants with an audit chain (e.g. {@code AuditVerifier::chains})
     * @param verifier verifies one tenant's whole chain (e.g. {@code AuditVerifier::verify})
     * @param checkpointTimes each chain's latest checkpoint time (e.g. {@code AuditCheckpointer::latestTimes})
     */
    public AuditWatch(
            Supplier<List<TenantId>> chains,
            Function<TenantId, AuditVerification> verifier,
            Supplier<Map<TenantId, Instant>> checkpointTimes,
            Metrics metrics,
            Clock clock) {
        this.chains = requireNonNull(chains, "chains is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.checkpointTimes = requireNonNull(checkpointTimes, "checkpointTimes is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.checkpointAge = MultiGauge.builder("frostbyte.audit.checkpoint.age.seconds")
                .description("Time since the chain's last signed checkpoint")
                .register(metrics.registry());
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("audit-watch").daemon().factory());
    }

    /** Reads checkpoint times now and every minute; verifies every chain after {@code firstVerify}, then hourly. */
    public AuditWatch start(Duration firstVerify) {
        timer.scheduleWithFixedDelay(this::readCheckpoints, 0, 60, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(
                this::verifyQuietly,
                firstVerify.toSeconds(),
                Duration.ofHours(1).toSeconds(),
                TimeUnit.SECONDS);
        return this;
    }

    /** Verifies every chain now; returns the chains found broken (each also counted). */
    public List<TenantId> verifyNow() {
        List<TenantId> broken = new ArrayList<>();
        for (TenantId tenantId : chains.get()) {
            if (closed) {
                break; // the node is stopping: no chain is started once its database may be closing
            }
            AuditVerification verification = verifier.apply(tenantId);
            if (!verification.hashChainValid()) {
                broken.add(verification.tenantId());
                Counter.builder("frostbyte.audit.verify.failures")
                        .description("Scheduled verifications that found a chain broken")
                        .tag("tenant_id", verification.tenantId().value())
                        .register(metrics.registry())
                        .increment();
            }
        }
        if (!broken.isEmpty()) {
            LOG.error("audit verification found {} broken chain(s): {}", broken.size(), broken);
        }
        return broken;
    }

    /** Publishes each chain's checkpoint age from the latest checkpoint times. */
    public void readCheckpoints() {
        try {
            Map<TenantId, Instant> latest = checkpointTimes.get();
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            latest.forEach((tenantId, time) -> rows.add(MultiGauge.Row.of(
                    Tags.of("tenant_id", tenantId.value()),
                    clock,
                    now -> Duration.between(time, now.instant()).toMillis() / 1000.0)));
            checkpointAge.register(rows, true);
        } catch (RuntimeException e) {
            LOG.warn("cannot read audit checkpoint times: {}", e.getClass().getName());
        }
    }

    private void verifyQuietly() {
        try {
            verifyNow();
        } catch (RuntimeException e) {
            LOG.warn(
                    "scheduled audit verification failed to run: {}",
                    e.getClass().getName());
        }
    }

    /**
     * Stops the timer and waits, at most {@link #CLOSE_WAIT}, for a chain being verified, so that the node's database
     * closes after it and not under it; no further chain is started.
     */
    @Override
    public void close() {
        closed = true;
        timer.shutdown(); // cancels the periodic runs; one already running goes on
        try {
            if (!timer.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("audit verification still running after {} s; stopping anyway", CLOSE_WAIT.toSeconds());
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
