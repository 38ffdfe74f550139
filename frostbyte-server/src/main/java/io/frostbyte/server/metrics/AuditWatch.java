package io.frostbyte.server.metrics;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.postgres.audit.AuditCheckpointer;
import io.frostbyte.postgres.audit.AuditVerification;
import io.frostbyte.postgres.audit.AuditVerifier;
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

    private final AuditVerifier verifier;
    private final AuditCheckpointer checkpoints;
    private final Metrics metrics;
    private final Clock clock;
    private final MultiGauge checkpointAge;
    private final ScheduledExecutorService timer;

    public AuditWatch(AuditVerifier verifier, AuditCheckpointer checkpoints, Metrics metrics, Clock clock) {
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
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
        for (AuditVerification verification : verifier.verifyAll()) {
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
            Map<TenantId, Instant> latest = checkpoints.latestTimes();
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

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
