package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's provisioning progress for {@code GET /admin/tenants/{t}/provisioning} (spec/08 §8.6).
 *
 * @param attempt the current or latest provisioning attempt, 0 before the first
 * @param steps the latest attempt's steps in run order
 * @param leftovers names of steps whose resources could not be removed after a failure
 */
public record ProvisioningReport(TenantState state, int attempt, List<StepProgress> steps, List<String> leftovers) {
    public ProvisioningReport {
        requireNonNull(state, "state is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        leftovers = List.copyOf(requireNonNull(leftovers, "leftovers is null"));
    }

    /** A step's status in an attempt. */
    public enum StepStatus {
        PENDING,
        RUNNING,
        DONE,
        FAILED,
        ROLLED_BACK;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One step of an attempt. */
    public record StepProgress(
            String step,
            StepStatus status,
            Optional<Instant> startedAt,
            Optional<Instant> completedAt,
            Optional<String> errorCode) {
        public StepProgress {
            requireNonNull(step, "step is null");
            requireNonNull(status, "status is null");
            requireNonNull(startedAt, "startedAt is null");
            requireNonNull(completedAt, "completedAt is null");
            requireNonNull(errorCode, "errorCode is null");
        }
    }
}
