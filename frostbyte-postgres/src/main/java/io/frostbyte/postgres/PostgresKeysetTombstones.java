package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.KeysetTombstones;
import java.sql.PreparedStatement;
import javax.sql.DataSource;

/**
 * {@link KeysetTombstones} on {@code tenant_keysets}: deletes a destroyed keyset's row only while its tenant is {@code
 * PROVISIONING} or {@code FAILED} and was never provisioned, in one statement. Thread-safe.
 */
public final class PostgresKeysetTombstones implements KeysetTombstones {
    private final DataSource dataSource;

    public PostgresKeysetTombstones(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    @Override
    public boolean purgeUnused(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("""
                    DELETE FROM tenant_keysets k USING tenants t
                    WHERE k.tenant_id = ? AND t.tenant_id = k.tenant_id AND k.destroyed_at IS NOT NULL
                      AND t.provisioned_at IS NULL AND t.state IN ('PROVISIONING', 'FAILED')
                    """)) {
                delete.setString(1, tenantId.value());
                return delete.executeUpdate() == 1;
            }
        });
    }
}
