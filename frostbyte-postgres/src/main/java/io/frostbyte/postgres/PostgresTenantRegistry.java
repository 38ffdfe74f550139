package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.TenantStatus;
import io.frostbyte.core.tenant.Tier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The tenant registry in the control database's {@code tenants} table (spec/07). This first cut creates tenants
 * directly in {@code ACTIVE} and changes state, key epoch and the embedding halt without checking the lifecycle's
 * transition table; the full lifecycle builds on it.
 *
 * <p>Every change of state, key epoch or embedding halt sends {@code NOTIFY} {@value #CHANNEL} with the tenant id in
 * the same transaction, so {@link TenantStateListener}s hear of it exactly when it commits. The methods taking a
 * {@link Connection} run inside the caller's transaction (to commit an audit event with the change) and neither commit
 * nor close it; the others run in a transaction of their own.
 *
 * <p>Thread-safe.
 */
public final class PostgresTenantRegistry {
    /** The notification channel; the payload is the tenant id. */
    public static final String CHANNEL = "frostbyte_tenant_state";

    private static final String STATUS_COLUMNS = "tenant_id, state, key_epoch, tier, embedding_halted";

    private final DataSource dataSource;
    private final Clock clock;

    public PostgresTenantRegistry(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Registers a tenant in {@code ACTIVE} with key epoch 1.
     *
     * @param tier {@code standard}, {@code premium} or {@code enterprise}
     * @throws FrostbyteException {@code TENANT_ALREADY_EXISTS} when the id was ever used, {@code VALIDATION_ERROR} for
     *     an unknown tier, a blank name or the platform id
     */
    public TenantStatus create(TenantId tenantId, String tenantName, String contactEmail, String tier) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(tenantName, "tenantName is null");
        requireNonNull(contactEmail, "contactEmail is null");
        Tier parsedTier = Tier.fromWire(requireNonNull(tier, "tier is null"));
        if (tenantId.isPlatform()) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "_platform is not a tenant that can be created");
        }
        if (tenantName.isBlank() || tenantName.length() > 200) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "tenant_name must have 1 to 200 characters");
        }
        Instant now = clock.instant();
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO tenants (tenant_id, tenant_name, contact_email, state, tier, key_epoch,
                                         embedding_halted, config, config_version, created_at, updated_at,
                                         provisioned_at)
                    VALUES (?, ?, ?, 'ACTIVE', ?, 1, false, '{}'::jsonb, 1, ?, ?, ?)
                    ON CONFLICT (tenant_id) DO NOTHING
                    """)) {
                insert.setString(1, tenantId.value());
                insert.setString(2, tenantName);
                insert.setString(3, contactEmail);
                insert.setString(4, parsedTier.wire());
                Jdbc.setInstant(insert, 5, now);
                Jdbc.setInstant(insert, 6, now);
                Jdbc.setInstant(insert, 7, now);
                if (insert.executeUpdate() == 0) {
                    throw new FrostbyteException(
                            ErrorCode.TENANT_ALREADY_EXISTS, "tenant " + tenantId + " already exists");
                }
            }
            notifyChange(connection, tenantId);
            return new TenantStatus(tenantId, TenantState.ACTIVE, 1, parsedTier.multiplier(), false);
        });
    }

    /** The tenant's status; empty when it was never registered. */
    public Optional<TenantStatus> find(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return Jdbc.inTransaction(dataSource, connection -> find(connection, tenantId, false));
    }

    /** Every tenant's status, {@code _platform} included, ordered by tenant id (byte order, so {@code _platform} first). */
    public List<TenantStatus> statuses() {
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                            "SELECT " + STATUS_COLUMNS + " FROM tenants ORDER BY tenant_id COLLATE \"C\"");
                    ResultSet rows = select.executeQuery()) {
                List<TenantStatus> statuses = new ArrayList<>();
                while (rows.next()) {
                    statuses.add(status(rows));
                }
                return List.copyOf(statuses);
            }
        });
    }

    /** Adds one to the key epoch, revoking every token issued under the old one. */
    public long bumpEpoch(TenantId tenantId) {
        return Jdbc.inTransaction(dataSource, connection -> bumpEpoch(connection, tenantId));
    }

    /**
     * Adds one to the key epoch inside the caller's transaction.
     *
     * @return the new epoch
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unknown tenant
     */
    public long bumpEpoch(Connection transaction, TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE tenants SET key_epoch = key_epoch + 1, updated_at = ? WHERE tenant_id = ? RETURNING key_epoch")) {
                Jdbc.setInstant(update, 1, clock.instant());
                update.setString(2, tenantId.value());
                try (ResultSet rows = update.executeQuery()) {
                    if (!rows.next()) {
                        throw notFound(tenantId);
                    }
                    long epoch = rows.getLong(1);
                    notifyChange(connection, tenantId);
                    return epoch;
                }
            }
        });
    }

    /** Sets the tenant's state. */
    public void setState(TenantId tenantId, TenantState state) {
        Jdbc.inTransaction(dataSource, connection -> {
            setState(connection, tenantId, state);
            return null;
        });
    }

    /**
     * Sets the tenant's state inside the caller's transaction; no transition rules are checked here.
     *
     * @return the previous state
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unknown tenant
     */
    public TenantState setState(Connection transaction, TenantId tenantId, TenantState state) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(state, "state is null");
        return Jdbc.onConnection(transaction, connection -> {
            TenantStatus previous = find(connection, tenantId, true).orElseThrow(() -> notFound(tenantId));
            try (PreparedStatement update = connection.prepareStatement("UPDATE tenants SET state = ?, updated_at = ?,"
                    + " provisioned_at = CASE WHEN ? = 'ACTIVE' THEN coalesce(provisioned_at, ?)"
                    + " ELSE provisioned_at END WHERE tenant_id = ?")) {
                Instant now = clock.instant();
                update.setString(1, state.name());
                Jdbc.setInstant(update, 2, now);
                update.setString(3, state.name());
                Jdbc.setInstant(update, 4, now);
                update.setString(5, tenantId.value());
                update.executeUpdate();
            }
            notifyChange(connection, tenantId);
            return previous.state();
        });
    }

    /** Halts or resumes the tenant's embed and index jobs (spec/04 EMB-2). */
    public void setEmbeddingHalted(TenantId tenantId, boolean halted) {
        Jdbc.inTransaction(dataSource, connection -> {
            setEmbeddingHalted(connection, tenantId, halted);
            return null;
        });
    }

    /**
     * Halts or resumes embedding inside the caller's transaction.
     *
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unknown tenant
     */
    public void setEmbeddingHalted(Connection transaction, TenantId tenantId, boolean halted) {
        requireNonNull(tenantId, "tenantId is null");
        Jdbc.onConnection(transaction, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE tenants SET embedding_halted = ?, updated_at = ? WHERE tenant_id = ?")) {
                update.setBoolean(1, halted);
                Jdbc.setInstant(update, 2, clock.instant());
                update.setString(3, tenantId.value());
                if (update.executeUpdate() == 0) {
                    throw notFound(tenantId);
                }
            }
            notifyChange(connection, tenantId);
            return null;
        });
    }

    private static Optional<TenantStatus> find(Connection connection, TenantId tenantId, boolean lock)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + STATUS_COLUMNS + " FROM tenants WHERE tenant_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, tenantId.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(status(rows)) : Optional.empty();
            }
        }
    }

    private static TenantStatus status(ResultSet rows) throws SQLException {
        return new TenantStatus(
                TenantId.of(rows.getString("tenant_id")),
                TenantState.valueOf(rows.getString("state")),
                rows.getLong("key_epoch"),
                Tier.fromWire(rows.getString("tier")).multiplier(),
                rows.getBoolean("embedding_halted"));
    }

    private static void notifyChange(Connection connection, TenantId tenantId) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, tenantId.value());
            notify.execute();
        }
    }

    private static FrostbyteException notFound(TenantId tenantId) {
        return new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " not found");
    }
}
