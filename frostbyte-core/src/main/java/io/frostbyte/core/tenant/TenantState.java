package io.frostbyte.core.tenant;

/** A tenant's lifecycle state (spec/07 §7.1). */
public enum TenantState {
    PENDING,
    PROVISIONING,
    FAILED,
    ACTIVE,
    SUSPENDED,
    DEPROVISIONING,
    DEPROVISIONED
}
