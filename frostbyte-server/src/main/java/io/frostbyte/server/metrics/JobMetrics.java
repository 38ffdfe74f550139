package io.frostbyte.server.metrics;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.Stage;
import io.frostbyte.postgres.PostgresJobQueue;
import io.frostbyte.postgres.WorkerPool;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code frostbyte_job_queue_depth{stage}} and {@code frostbyte_dlq_depth{stage}} (read from the queue at most every
 * few seconds, whatever the scrape rate) and {@code frostbyte_job_duration_seconds{stage}} from the worker pool.
 */
public final class JobMetrics implements WorkerPool.Observer {
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private record Depths(Map<Stage, Long> queued, Map<Stage, Long> dead, long readNanos) {}

    private final PostgresJobQueue queue;
    private final Metrics metrics;
    private final AtomicReference<Depths> depths = new AtomicReference<>();

    public JobMetrics(PostgresJobQueue queue, Metrics metrics) {
        this.queue = requireNonNull(queue, "queue is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        for (Stage stage : Stage.values()) {
            metrics.gauge(
                    "frostbyte.job.queue.depth",
                    "Jobs queued or running",
                    "stage",
                    stage.wire(),
                    () -> depths().queued().getOrDefault(stage, 0L));
            metrics.gauge(
                    "frostbyte.dlq.depth",
                    "Dead letters pending review",
                    "stage",
                    stage.wire(),
                    () -> depths().dead().getOrDefault(stage, 0L));
        }
    }

    private Depths depths() {
        Depths current = depths.get();
        long now = System.nanoTime();
        if (current != null && now - current.readNanos() < REFRESH.toNanos()) {
            return current;
        }
        try {
            Depths fresh = new Depths(queue.queueDepth(), queue.deadLetterDepth(), now);
            depths.set(fresh);
            return fresh;
        } catch (RuntimeException e) {
            return current != null ? current : new Depths(Map.of(), Map.of(), now);
        }
    }

    @Override
    public void finished(Job job, WorkerPool.Outcome outcome, Duration duration) {
        Timer.builder("frostbyte.job.duration")
                .description("Job run time by stage")
                .tag("stage", job.stage().wire())
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(metrics.registry())
                .record(duration);
    }
}
