package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a stage's CPU-bound section (parsing, embedding, index building) on the pipeline's pool of platform threads,
 * one per core, while the job's virtual thread waits unmounted. Stages do their database, object-store and audit I/O on
 * their own virtual thread, so a job waiting on I/O never holds a core's slot: with more jobs in flight than cores, the
 * cores stay busy with whichever jobs have computing to do.
 *
 * <p>Virtual threads are never preempted; computing on them would starve the HTTP server's virtual threads on a small
 * machine, hence the platform pool. Exceptions of the section are rethrown as they are.
 */
final class CpuWork {
    private final ExecutorService pool;

    CpuWork(ExecutorService pool) {
        this.pool = requireNonNull(pool, "pool is null");
    }

    /** Runs {@code section} on the pool and returns its result; interruption cancels it. */
    <T> T call(Callable<T> section) {
        requireNonNull(section, "section is null");
        Future<T> work = pool.submit(section);
        try {
            return work.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(
                    "CPU section failed with " + cause.getClass().getName(), cause);
        } catch (InterruptedException e) {
            work.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a CPU section", e);
        }
    }

    /** Runs {@code section} on the pool. */
    void run(Runnable section) {
        requireNonNull(section, "section is null");
        call(() -> {
            section.run();
            return null;
        });
    }
}
