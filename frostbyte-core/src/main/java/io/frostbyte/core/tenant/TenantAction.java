package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything that may change a tenant's state, with the transition table of spec/07 §7.1: for each action, the states
 * it may start from and the state it leads to. Anything else is {@code INVALID_STATE_TRANSITION}. Immutable.
 */
public enum TenantAction {
    PROVISION(Map.of(TenantState.PENDING, TenantState.PROVISIONING)),
    PROVISIONED(Map.of(TenantState.PROVISIONING, TenantState.ACTIVE)),
    PROVISION_FAILED(Map.of(TenantState.PROVISIONING, TenantState.FAILED)),
    /** Only after a provisioning failure; the lifecycle checks that on top of the state. */
    RETRY(Map.of(TenantState.FAILED, TenantState.PROVISIONING)),
    ABANDON(Map.of(TenantState.FAILED, TenantState.DEPROVISIONING)),
    UPDATE_CONFIG(Map.of(TenantState.ACTIVE, TenantState.ACTIVE, TenantState.SUSPENDED, TenantState.SUSPENDED)),
    SUSPEND(Map.of(TenantState.ACTIVE, TenantState.SUSPENDED)),
    RESUME(Map.of(TenantState.SUSPENDED, TenantState.ACTIVE)),
    REVOKE_TOKENS(Map.of(TenantState.ACTIVE, TenantState.ACTIVE, TenantState.SUSPENDED, TenantState.SUSPENDED)),
    ISSUE_TOKEN(Map.of(TenantState.ACTIVE, TenantState.ACTIVE)),
    DEPROVISION(
            Map.of(TenantState.ACTIVE, TenantState.DEPROVISIONING, TenantState.SUSPENDED, TenantState.DEPROVISIONING)),
    DEPROVISIONED(Map.of(TenantState.DEPROVISIONING, TenantState.DEPROVISIONED)),
    DEPROVISION_FAILED(Map.of(TenantState.DEPROVISIONING, TenantState.FAILED));

    private final Map<TenantState, TenantState> transitions;

    TenantAction(Map<TenantState, TenantState> transitions) {
        this.transitions = Collections.unmodifiableMap(new EnumMap<>(transitions));
    }

    /** The states this action may start from, each with the state it leads to. */
    public Map<TenantState, TenantState> transitions() {
        return transitions;
    }

    public boolean allowedFrom(TenantState from) {
        return transitions.containsKey(requireNonNull(from, "from is null"));
    }

    /**
     * The state this action leads to from {@code from}.
     *
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} when the action is not allowed in {@code from}
     */
    public TenantState target(TenantState from) {
        TenantState to = transitions.get(requireNonNull(from, "from is null"));
        if (to == null) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION,
                    "cannot " + name().toLowerCase(java.util.Locale.ROOT) + " a tenant in state " + from);
        }
        return to;
    }
}
