package io.frostbyte.core.tenant;

import io.frostbyte.core.TenantId;
import java.util.Map;

/**
 * One step of provisioning a tenant's stores (spec/07 §7.2) and of removing them again (§7.4), run by the
 * provisioning orchestrator in order. Implementations are thread-safe and hold no per-tenant state between calls: every
 * method may run on another node, after a restart, or again after it failed half-way.
 *
 * <p>Exceptions are failures; the orchestrator retries {@link #provision} (with {@link #verify}) up to its attempt
 * limit, and reports a {@link io.frostbyte.core.FrostbyteException}'s code (else {@code INTERNAL_ERROR}) in audit
 * events. Messages must not hold secrets.
 */
public interface ProvisioningStep {
    /** The name of the step that creates and crypto-shreds the tenant's KEK keyset (spec/07 §7.2 step 1, §7.4 step 3). */
    String KEYS = "keys";

    /** The name of the step that creates and drops the tenant database and role (§7.2 step 2, §7.4 step 5). */
    String TENANT_DATABASE = "tenant_database";

    /** A stable lower snake_case name, used in progress rows, {@code leftovers} and audit details. */
    String name();

    /**
     * Creates the step's resources for the tenant; succeeds when they already exist (a repeated attempt).
     *
     * @return ids of what was created, for TENANT_PROVISIONED {@code resources} (no secrets)
     */
    Map<String, String> provision(TenantId tenantId) throws Exception;

    /** Checks that the resources work (e.g. by connecting); throws when they do not. */
    void verify(TenantId tenantId) throws Exception;

    /** Removes whatever {@link #provision} created, completely or partly. Idempotent: nothing to remove is success. */
    void rollback(TenantId tenantId) throws Exception;

    /** Removes the step's resources of a tenant that is being deprovisioned. Idempotent. */
    void deprovision(TenantId tenantId) throws Exception;

    /** Checks that nothing of the step's resources remains; throws when something does. */
    void verifyGone(TenantId tenantId) throws Exception;
}
