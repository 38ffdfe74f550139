package io.frostbyte.server.health;

import static java.util.Objects.requireNonNull;

import io.frostbyte.server.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /health}: runs every check in parallel, each limited to 2 s, and caches the report for 2 s. Overall
 * {@code down} when a critical check is down, {@code degraded} when another is, else {@code ok}. Thread-safe.
 */
public final class HealthService implements AutoCloseable {
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration CACHE_FOR = Duration.ofSeconds(2);

    /** A health report; {@code checks} keeps the checks' order. */
    public record Report(
            String status,
            String version,
            String shape,
            String role,
            Map<String, CheckResult> checks,
            Instant checkedAt) {
        public Report {
            checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        }

        public int httpStatus() {
            return status.equals("down") ? 503 : 200;
        }
    }

    private final List<HealthCheck> checks;
    private final String version;
    private final String shape;
    private final String role;
    private final Clock clock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<Report> cached = new AtomicReference<>();

    public HealthService(
            List<HealthCheck> checks, String version, String shape, String role, Clock clock, Metrics metrics) {
        this.checks = List.copyOf(checks);
        this.version = requireNonNull(version, "version is null");
        this.shape = requireNonNull(shape, "shape is null");
        this.role = requireNonNull(role, "role is null");
        this.clock = requireNonNull(clock, "clock is null");
        for (HealthCheck check : this.checks) {
            metrics.gauge("frostbyte.health.check.up", "1 when the check is up", "check", check.name(), () -> {
                Report report = cached.get();
                CheckResult result = report == null ? null : report.checks().get(check.name());
                return result != null && result.status().equals("up") ? 1 : 0;
            });
        }
    }

    public Report report() {
        Report current = cached.get();
        Instant now = clock.instant();
        if (current != null && current.checkedAt().plus(CACHE_FOR).isAfter(now)) {
            return current;
        }
        Report fresh = run();
        cached.set(fresh);
        return fresh;
    }

    private Report run() {
        Map<String, Future<CheckResult>> running = new LinkedHashMap<>();
        for (HealthCheck check : checks) {
            running.put(check.name(), executor.submit(check::check));
        }
        Map<String, CheckResult> results = new LinkedHashMap<>();
        String status = "ok";
        for (HealthCheck check : checks) {
            CheckResult result;
            try {
                result = running.get(check.name()).get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                running.get(check.name()).cancel(true);
                result = CheckResult.down("timeout after " + CHECK_TIMEOUT.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = CheckResult.down("interrupted");
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                result = CheckResult.down(cause.getClass().getSimpleName());
            }
            results.put(check.name(), result);
            if (result.status().equals("down")) {
                status = check.critical() ? "down" : status.equals("down") ? "down" : "degraded";
            }
        }
        return new Report(status, version, shape, role, results, clock.instant());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
