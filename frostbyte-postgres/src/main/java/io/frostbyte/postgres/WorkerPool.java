package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.job.Stage;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link JobHandler}s for claimed jobs on virtual threads, at most {@link Settings#threads()} at once (spec/09
 * {@code workers.threads}).
 *
 * <p>One dispatcher thread claims as many jobs as there are free slots, for the stages that have a handler, whenever a
 * slot frees up, {@link #wakeUp()} is called, or the poll interval passes. While a handler runs, its lease is renewed
 * every {@link Settings#renewInterval()}. A handler that returns completes the job; a {@link FrostbyteException} fails
 * it with its code (retried or dead-lettered as the code says); any other exception fails it as retriable
 * {@code INTERNAL_ERROR} with a message naming only the exception class, since library messages may carry content.
 *
 * <p>A handler may complete its own job inside the transaction that commits its outputs and the next stage's job
 * ({@link PostgresJobQueue#complete(java.sql.Connection, Job)}, spec/09 OPS-2a); the pool's completion is then a no-op
 * that still reports {@link Outcome#COMPLETED}.
 *
 * <p>{@link #shutdown(Duration)} stops claiming and waits for running jobs; jobs still running when it gives up stop
 * having their leases renewed and are reclaimed by another worker once the lease expires (handlers are idempotent). It
 * does not interrupt handlers.
 *
 * <p>Thread-safe.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    /**
     * @param workerId the lease owner name, unique per process (e.g. host + pid)
     * @param threads how many jobs run at once (spec default 16)
     * @param pollInterval how long the dispatcher waits when nothing was due
     * @param renewInterval how often a running job's lease is renewed (spec default 60 s); well below the lease
     * @param shutdownTimeout how long {@link #close()} waits for running jobs
     */
    public record Settings(
            String workerId, int threads, Duration pollInterval, Duration renewInterval, Duration shutdownTimeout) {
        public Settings {
            requireNonNull(workerId, "workerId is null");
            requireNonNull(pollInterval, "pollInterval is null");
            requireNonNull(renewInterval, "renewInterval is null");
            requireNonNull(shutdownTimeout, "shutdownTimeout is null");
            if (workerId.isBlank()) {
                throw new IllegalArgumentException("workerId is blank");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1: " + threads);
            }
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
            }
            if (renewInterval.isNegative() || renewInterval.isZero()) {
                throw new IllegalArgumentException("renewInterval must be positive: " + renewInterval);
            }
            if (shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative: " + shutdownTimeout);
            }
        }

        /** 16 threads, polling every 500 ms, renewing every 60 s, waiting 30 s at shutdown. */
        public static Settings defaults(String workerId) {
            return new Settings(workerId, 16, Duration.ofMillis(500), Duration.ofSeconds(60), Duration.ofSeconds(30));
        }

        public Settings withThreads(int value) {
            return new Settings(workerId, value, pollInterval, renewInterval, shutdownTimeout);
        }

        public Settings withPollInterval(Duration value) {
            return new Settings(workerId, threads, value, renewInterval, shutdownTimeout);
        }

        public Settings withRenewInterval(Duration value) {
            return new Settings(workerId, threads, pollInterval, value, shutdownTimeout);
        }

        public Settings withShutdownTimeout(Duration value) {
            return new Settings(workerId, threads, pollInterval, renewInterval, value);
        }
    }

    /** How a job run ended, as far as the queue is concerned. */
    public enum Outcome {
        COMPLETED,
        RETRIED,
        DEAD_LETTERED,
        /** The lease was lost before the result could be recorded; another worker owns the job. */
        LEASE_LOST,
        /** Recording the result failed (database unreachable); the job is reclaimed after its lease. */
        NOT_RECORDED
    }

    /** Told about every finished job, e.g. for {@code frostbyte_job_duration_seconds}; called on the job's thread. */
    @FunctionalInterface
    public interface Observer {
        void finished(Job job, Outcome outcome, Duration duration);
    }

    private final PostgresJobQueue queue;
    private final Map<Stage, JobHandler> handlers;
    private final Set<Stage> stages;
    private final Settings settings;
    private final Observer observer;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread dispatcher;
    private boolean signalled;
    private volatile boolean stopping;
    private volatile boolean renewalsStopped;

    private WorkerPool(PostgresJobQueue queue, Map<Stage, JobHandler> handlers, Settings settings, Observer observer) {
        this.queue = queue;
        this.handlers = new EnumMap<>(handlers);
        this.stages = EnumSet.copyOf(handlers.keySet());
        this.settings = settings;
        this.observer = observer;
        this.dispatcher = Thread.ofVirtual().name("frostbyte-worker-dispatcher").unstarted(this::dispatch);
    }

    /** Starts a pool without an observer. */
    public static WorkerPool start(PostgresJobQueue queue, Map<Stage, JobHandler> handlers, Settings settings) {
        return start(queue, handlers, settings, (job, outcome, duration) -> {});
    }

    /**
     * Starts claiming and running jobs.
     *
     * @param handlers one handler per stage this worker runs; at least one
     */
    public static WorkerPool start(
            PostgresJobQueue queue, Map<Stage, JobHandler> handlers, Settings settings, Observer observer) {
        requireNonNull(queue, "queue is null");
        requireNonNull(handlers, "handlers is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(observer, "observer is null");
        if (handlers.isEmpty()) {
            throw new IllegalArgumentException("handlers is empty");
        }
        handlers.forEach((stage, handler) -> requireNonNull(handler, "handler of " + stage + " is null"));
        WorkerPool pool = new WorkerPool(queue, handlers, settings, observer);
        pool.dispatcher.start();
        return pool;
    }

    /** Makes the dispatcher claim at once instead of at the next poll, e.g. after this node enqueued a job. */
    public void wakeUp() {
        signal();
    }

    /** Jobs whose handler is running now. */
    public int running() {
        return running.get();
    }

    /** Jobs claimed since start. */
    public long claimed() {
        return claimed.get();
    }

    /** Jobs whose run ended since start, whatever the outcome. */
    public long finished() {
        return finished.get();
    }

    /** Whether the pool still claims jobs. */
    public boolean accepting() {
        return !stopping;
    }

    /**
     * Stops claiming, then waits up to {@code timeout} for running jobs to finish. Idempotent.
     *
     * @return whether every running job finished in time
     */
    public boolean shutdown(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        stopping = true;
        signal();
        try {
            dispatcher.join(timeout.plusSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (running.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        int unfinished = running.get();
        if (unfinished > 0) {
            renewalsStopped = true;
            LOG.warn(
                    "worker {} stopped with {} job(s) still running; they are reclaimed after their lease",
                    settings.workerId(),
                    unfinished);
            return false;
        }
        return true;
    }

    /** {@link #shutdown(Duration)} with {@link Settings#shutdownTimeout()}. */
    @Override
    public void close() {
        shutdown(settings.shutdownTimeout());
    }

    private void dispatch() {
        int failures = 0;
        while (!stopping) {
            int free = settings.threads() - running.get();
            boolean filled = false;
            Duration wait = settings.pollInterval();
            if (free > 0) {
                try {
                    List<Job> jobs = queue.claim(settings.workerId(), free, stages);
                    for (Job job : jobs) {
                        launch(job);
                    }
                    filled = jobs.size() == free;
                    failures = 0;
                } catch (RuntimeException e) {
                    failures++;
                    // back off while the database is away: poll interval doubling up to 5 s
                    wait = backoff(failures);
                    LOG.warn("worker {} could not claim jobs ({})", settings.workerId(), describe(e));
                }
            }
            if (!filled) {
                awaitSignal(wait);
            }
        }
    }

    private Duration backoff(int failures) {
        Duration cap = Duration.ofSeconds(5);
        Duration wait = settings.pollInterval().multipliedBy(1L << Math.min(failures, 10));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    private void launch(Job job) {
        running.incrementAndGet();
        claimed.incrementAndGet();
        Thread.ofVirtual().name("frostbyte-job-" + job.stage().wire()).start(() -> run(job));
    }

    private void run(Job job) {
        long start = System.nanoTime();
        AtomicReference<Job> current = new AtomicReference<>(job);
        CountDownLatch done = new CountDownLatch(1);
        Thread renewer =
                Thread.ofVirtual().name("frostbyte-lease-" + job.jobId()).start(() -> renew(current, done));
        Outcome outcome;
        try {
            Throwable failure = null;
            try {
                handlers.get(job.stage()).handle(job);
            } catch (Throwable e) {
                failure = e;
            }
            done.countDown();
            joinQuietly(renewer);
            outcome = failure == null ? complete(current.get()) : fail(current.get(), failure);
        } finally {
            done.countDown();
            running.decrementAndGet();
            finished.incrementAndGet();
            signal();
        }
        try {
            observer.finished(job, outcome, Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            LOG.warn("worker observer failed ({})", e.getClass().getName());
        }
    }

    private Outcome complete(Job job) {
        try {
            return queue.complete(job) ? Outcome.COMPLETED : Outcome.LEASE_LOST;
        } catch (RuntimeException e) {
            LOG.warn("could not record completion of job {} ({})", job.jobId(), describe(e));
            return Outcome.NOT_RECORDED;
        }
    }

    private Outcome fail(Job job, Throwable failure) {
        JobFailure jobFailure;
        if (failure instanceof FrostbyteException frostbyte) {
            jobFailure = JobFailure.of(frostbyte.code(), frostbyte.getMessage(), frostbyte);
        } else {
            jobFailure = JobFailure.of(
                    ErrorCode.INTERNAL_ERROR,
                    "handler failed with " + failure.getClass().getName(),
                    failure);
        }
        LOG.warn(
                "job {} (stage {}, tenant {}) attempt {} failed: {} ({}, stack_trace_hash {})",
                job.jobId(),
                job.stage().wire(),
                job.tenantId(),
                job.attempt(),
                jobFailure.code(),
                failure.getClass().getName(),
                jobFailure.stackTraceHash());
        try {
            return switch (queue.fail(job, jobFailure)) {
                case FailOutcome.Retried retried -> Outcome.RETRIED;
                case FailOutcome.DeadLettered deadLettered -> Outcome.DEAD_LETTERED;
                case FailOutcome.LeaseLost lost -> Outcome.LEASE_LOST;
            };
        } catch (RuntimeException e) {
            LOG.warn("could not record failure of job {} ({})", job.jobId(), describe(e));
            return Outcome.NOT_RECORDED;
        }
    }

    private void renew(AtomicReference<Job> current, CountDownLatch done) {
        try {
            while (!done.await(settings.renewInterval().toNanos(), TimeUnit.NANOSECONDS)) {
                if (renewalsStopped) {
                    return;
                }
                try {
                    current.set(queue.renewLease(current.get()));
                } catch (FrostbyteException e) {
                    if (e.code() == ErrorCode.INVALID_STATE_TRANSITION) {
                        LOG.warn(
                                "job {} lost its lease while running; its result will be refused",
                                current.get().jobId());
                        return;
                    }
                    LOG.warn(
                            "could not renew the lease of job {} ({})",
                            current.get().jobId(),
                            describe(e));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal() {
        lock.lock();
        try {
            signalled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitSignal(Duration timeout) {
        lock.lock();
        try {
            long left = timeout.toNanos();
            while (!signalled && !stopping && left > 0) {
                left = changed.awaitNanos(left);
            }
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(RuntimeException e) {
        return e instanceof FrostbyteException frostbyte
                ? frostbyte.code() + ": " + frostbyte.getMessage()
                : e.getClass().getName();
    }
}
