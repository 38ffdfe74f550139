package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** What {@link PostgresJobQueue#fail} did with a failed attempt. */
public sealed interface FailOutcome {
    /** The job is queued again and becomes claimable at {@code nextRunAt}. */
    record Retried(Instant nextRunAt) implements FailOutcome {
        public Retried {
            requireNonNull(nextRunAt, "nextRunAt is null");
        }
    }

    /** The job is {@code dead}; a {@code pending_review} dead letter was written. */
    record DeadLettered(UUID deadLetterId) implements FailOutcome {
        public DeadLettered {
            requireNonNull(deadLetterId, "deadLetterId is null");
        }
    }

    /** The caller no longer holds the lease (another worker reclaimed the job): nothing was changed. */
    record LeaseLost() implements FailOutcome {}
}
