package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Clears a tenant's embedding halt (spec/04 EMB-2, spec/08 {@code POST /admin/tenants/{t}/embedding/resume}): its
 * embed and index jobs, kept queued while halted, become claimable again. Thread-safe.
 */
public final class PostgresEmbeddingHalts {
    private final PostgresTenantRegistry registry;

    public PostgresEmbeddingHalts(PostgresTenantRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /**
     * Inside the caller's transaction (neither committed nor closed here): locks the tenant row, sets {@code
     * embedding_halted = false} and notifies the tenant-state listeners.
     *
     * @return the tenant's {@code config_version} (unchanged: the halt is state, not configuration)
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unknown tenant, {@code INVALID_STATE_TRANSITION}
     *     when its embedding is not halted
     */
    public int resume(Connection transaction, TenantId tenantId) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(tenantId, "tenantId is null");
        int configVersion = Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT embedding_halted, config_version FROM tenants WHERE tenant_id = ? FOR UPDATE")) {
                select.setString(1, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "Tenant not found.");
                    }
                    if (!rows.getBoolean(1)) {
                        throw new FrostbyteException(
                                ErrorCode.INVALID_STATE_TRANSITION,
                                "The embedding of tenant " + tenantId + " is not halted.");
                    }
                    return rows.getInt(2);
                }
            }
        });
        registry.setEmbeddingHalted(transaction, tenantId, false);
        return configVersion;
    }
}
