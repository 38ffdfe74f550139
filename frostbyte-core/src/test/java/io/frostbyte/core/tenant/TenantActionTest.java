package io.frostbyte.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantActionTest {
    @Test
    void the_allowed_transitions_are_exactly_those_of_the_lifecycle_table() {
        List<String> allowed = new ArrayList<>();
        for (TenantAction action : TenantAction.values()) {
            for (TenantState from : TenantState.values()) {
                if (action.allowedFrom(from)) {
                    allowed.add(action + ": " + from + " -> " + action.target(from));
                }
            }
        }

        assertThat(allowed)
                .containsExactlyInAnyOrder(
                        "PROVISION: PENDING -> PROVISIONING",
                        "PROVISIONED: PROVISIONING -> ACTIVE",
                        "PROVISION_FAILED: PROVISIONING -> FAILED",
                        "RETRY: FAILED -> PROVISIONING",
                        "ABANDON: FAILED -> DEPROVISIONING",
                        "UPDATE_CONFIG: ACTIVE -> ACTIVE",
                        "UPDATE_CONFIG: SUSPENDED -> SUSPENDED",
                        "SUSPEND: ACTIVE -> SUSPENDED",
                        "RESUME: SUSPENDED -> ACTIVE",
                        "REVOKE_TOKENS: ACTIVE -> ACTIVE",
                        "REVOKE_TOKENS: SUSPENDED -> SUSPENDED",
                        "ISSUE_TOKEN: ACTIVE -> ACTIVE",
                        "DEPROVISION: ACTIVE -> DEPROVISIONING",
                        "DEPROVISION: SUSPENDED -> DEPROVISIONING",
                        "DEPROVISIONED: DEPROVISIONING -> DEPROVISIONED",
                        "DEPROVISION_FAILED: DEPROVISIONING -> FAILED");
    }

    @Test
    void every_other_transition_is_an_invalid_state_transition() {
        int refused = 0;
        for (TenantAction action : TenantAction.values()) {
            for (TenantState from : TenantState.values()) {
                if (!action.allowedFrom(from)) {
                    assertThatThrownBy(() -> action.target(from))
                            .isInstanceOfSatisfying(
                                    FrostbyteException.class,
                                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
                    refused++;
                }
            }
        }
        assertThat(refused).isEqualTo(TenantAction.values().length * TenantState.values().length - 16);
    }

    @Test
    void nothing_leaves_the_deprovisioned_tombstone() {
        for (TenantAction action : TenantAction.values()) {
            assertThat(action.allowedFrom(TenantState.DEPROVISIONED))
                    .as(action.name())
                    .isFalse();
        }
    }
}
