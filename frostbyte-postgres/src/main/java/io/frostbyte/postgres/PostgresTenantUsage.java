package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;

/**
 * What a tenant's relational data takes (spec/08 {@code usage}, spec/09 §9.2 {@code
 * frostbyte_storage_bytes{store="database"}}): the size of its own database and its row counts, and its batches in the
 * control database.
 */
public final class PostgresTenantUsage {
    private final DataSource control;
    private final TenantDatabases databases;

    public PostgresTenantUsage(DataSource control, TenantDatabases databases) {
        this.control = requireNonNull(control, "control is null");
        this.databases = requireNonNull(databases, "databases is null");
    }

    /**
     * @param bytes {@code pg_database_size} of the tenant database
     * @param documents document rows (one per distinct content)
     * @param chunks chunk rows, quarantined ones included
     */
    public record DatabaseUsage(long bytes, long documents, long chunks) {}

    public DatabaseUsage database(TenantId tenantId) {
        return Jdbc.inTransaction(databases.dataSource(tenantId), true, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT pg_database_size(current_database()),"
                            + " (SELECT count(*) FROM documents), (SELECT count(*) FROM chunks)");
                    ResultSet rows = select.executeQuery()) {
                rows.next();
                return new DatabaseUsage(rows.getLong(1), rows.getLong(2), rows.getLong(3));
            }
        });
    }

    /** Batches the tenant submitted (committed batches; rejected requests leave none). */
    public long batches(TenantId tenantId) {
        return Jdbc.inTransaction(control, true, connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT count(*) FROM batches WHERE tenant_id = ?")) {
                select.setString(1, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }
}
