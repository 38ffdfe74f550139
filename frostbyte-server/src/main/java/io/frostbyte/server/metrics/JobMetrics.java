package io.frostbyte.server.metrics;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.Stage;
import io.frostbyte.postgres.JobSnapshot;
import io.frostbyte.postgres.PostgresJobQueue;
import io.frostbyte.postgres.WorkerPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code frostbyte_job_queue_depth{stage}} (queued jobs, due or waiting for a retry) and {@code
 * frostbyte_dlq_depth{stage}} (dead letters pending review), read from the queue at most every few seconds whatever
 * the scrape rate; {@code frostbyte_job_duration_seconds{stage}} and {@code frostbyte_dlq_entries_total{stage, code}}
 * from the worker pool (spec/09 §9.2). A job dead-lettered because its worker died on the last attempt is dead-lettered
 * by the queue, not the pool, and shows in the depth only.
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
                    "Jobs queued, due or waiting for a retry",
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
        if (outcome == WorkerPool.Outcome.DEAD_LETTERED) {
            deadLettered(job);
        }
        Timer.builder("frostbyte.job.duration")
                .description("Job run time by stage")
                .tag("stage", job.stage().wire())
                .tag("tenant_id", job.tenantId().value())
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(metrics.registry())
                .record(duration);
    }

    private void deadLettered(Job job) {
        String code;
        try {
            code = queue.find(job.tenantId(), job.jobId())
                    .flatMap(JobSnapshot::lastErrorCode)
                    .map(ErrorCode::name)
                    .orElse(ErrorCode.INTERNAL_ERROR.name());
        } catch (RuntimeException e) {
            code = ErrorCode.INTERNAL_ERROR.name();
        }
        Counter.builder("frostbyte.dlq.entries")
                .description("Dead letters created")
                .tag("stage", job.stage().wire())
                .tag("code", code)
                .tag("tenant_id", job.tenantId().value())
                .register(metrics.registry())
                .increment();
    }
}
