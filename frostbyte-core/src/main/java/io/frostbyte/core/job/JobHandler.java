package io.frostbyte.core.job;

/**
 * Runs one stage of the pipeline for one job. Handlers are idempotent on the job's key (spec/09 §9.1): a rerun after
 * a crash loses and duplicates nothing. Called from virtual threads, concurrently for different jobs.
 */
@FunctionalInterface
public interface JobHandler {
    /**
     * Runs the job to completion. Returning normally completes it. A {@link io.frostbyte.core.FrostbyteException}
     * whose code is {@link io.frostbyte.core.ErrorCode#retriable() retriable} (and any other exception) schedules a
     * retry until the stage's schedule is exhausted; a non-retriable one sends the job to dead letters at once.
     */
    void handle(Job job) throws Exception;
}
