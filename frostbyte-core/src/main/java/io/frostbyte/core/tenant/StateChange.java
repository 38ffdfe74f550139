package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * The result of a lifecycle call: the state before, the tenant as committed, when, and what was done (for the
 * {@code actions_taken[]} of suspend and resume, e.g. {@code key_epoch_incremented}, {@code jobs_paused}).
 */
public record StateChange(TenantState previousState, TenantRecord tenant, Instant at, List<String> actionsTaken) {
    public StateChange {
        requireNonNull(previousState, "previousState is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(at, "at is null");
        actionsTaken = List.copyOf(requireNonNull(actionsTaken, "actionsTaken is null"));
    }
}
