package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.KeyVersion;
import io.frostbyte.core.keys.StoredKeyset;
import io.frostbyte.core.keys.TenantKeysetStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TenantKeysetStore} on the control database's {@code tenant_keysets} table. The tenant must be registered in
 * {@code tenants} first (foreign key). Versions are kept as a jsonb array with instants in ISO-8601, so they round-trip
 * to the nanosecond.
 *
 * <p>Each call is one transaction; {@link #replace} and {@link #destroy} lock the row, so concurrent writers are
 * serialised and the revision check is exact. {@link #destroy} then runs {@code VACUUM FULL tenant_keysets} so the
 * erased key bytes do not linger in dead tuples; WAL segments and backups taken before still hold them until they age
 * out. {@code VACUUM FULL} needs the table's owner: give the store the admin data source
 * ({@link Database#adminDataSource()}) for it; with the application role it is skipped with a warning. Thread-safe.
 */
public final class PostgresTenantKeysetStore implements TenantKeysetStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresTenantKeysetStore.class);

    private static final String SELECT = """
            SELECT k.tenant_id, k.keyset_id, k.wrapped, k.revision, k.created_at, k.destroyed_at,
                   v.version, v.key_id, v.status, v.created_at AS version_created_at,
                   v.destroyed_at AS version_destroyed_at
            FROM tenant_keysets k
            LEFT JOIN LATERAL jsonb_to_recordset(k.versions)
                AS v(version int, key_id bigint, status text, created_at text, destroyed_at text) ON true
            WHERE k.tenant_id = ?
            ORDER BY v.version
            """;

    private static final String VERSIONS_JSON = """
            (SELECT coalesce(jsonb_agg(jsonb_build_object('version', u.version, 'key_id', u.key_id,
                                       'status', u.status, 'created_at', u.created_at,
                                       'destroyed_at', u.destroyed_at) ORDER BY u.version), '[]'::jsonb)
             FROM unnest(?::int[], ?::bigint[], ?::text[], ?::text[], ?::text[])
                 AS u(version, key_id, status, created_at, destroyed_at))
            """;

    private final DataSource dataSource;
    private final DataSource maintenance;

    /** A store that vacuums with the same data source (it must then own {@code tenant_keysets}). */
    public PostgresTenantKeysetStore(DataSource dataSource) {
        this(dataSource, dataSource);
    }

    /**
     * @param dataSource the application pool, for reads and writes
     * @param maintenance the table owner's data source, for {@code VACUUM FULL} after a destruction
     */
    public PostgresTenantKeysetStore(DataSource dataSource, DataSource maintenance) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.maintenance = requireNonNull(maintenance, "maintenance is null");
    }

    @Override
    public Optional<StoredKeyset> find(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return Jdbc.inTransaction(dataSource, connection -> find(connection, tenantId, false));
    }

    @Override
    public void insert(StoredKeyset keyset) {
        requireNonNull(keyset, "keyset is null");
        if (keyset.revision() != 1) {
            throw new IllegalArgumentException("a new keyset has revision 1: " + keyset.revision());
        }
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO tenant_keysets (tenant_id, keyset_id, wrapped, revision, versions, created_at,"
                            + " destroyed_at) VALUES (?, ?, ?, ?, " + VERSIONS_JSON + ", ?, ?)"
                            + " ON CONFLICT (tenant_id) DO NOTHING")) {
                insert.setString(1, keyset.tenantId().value());
                insert.setString(2, keyset.keysetId());
                insert.setBytes(3, keyset.wrappedKeyset());
                insert.setLong(4, keyset.revision());
                bindVersions(connection, insert, 5, keyset.versions());
                Jdbc.setInstant(insert, 10, keyset.createdAt());
                Jdbc.setInstant(insert, 11, keyset.destroyedAt().orElse(null));
                if (insert.executeUpdate() == 0) {
                    throw new FrostbyteException(
                            ErrorCode.INVALID_STATE_TRANSITION,
                            "tenant " + keyset.tenantId() + " already has a keyset");
                }
            } catch (SQLException e) {
                if (Jdbc.isForeignKeyViolation(e)) {
                    throw new FrostbyteException(
                            ErrorCode.RESOURCE_NOT_FOUND, "tenant " + keyset.tenantId() + " is not registered");
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public void replace(StoredKeyset keyset, long expectedRevision) {
        requireNonNull(keyset, "keyset is null");
        Jdbc.inTransaction(dataSource, connection -> {
            StoredKeyset current = find(connection, keyset.tenantId(), true)
                    .orElseThrow(() -> new FrostbyteException(
                            ErrorCode.RESOURCE_NOT_FOUND, "tenant " + keyset.tenantId() + " has no keyset"));
            if (current.destroyed()
                    || current.revision() != expectedRevision
                    || keyset.revision() != expectedRevision + 1) {
                throw new FrostbyteException(
                        ErrorCode.INVALID_STATE_TRANSITION,
                        "keyset of tenant " + keyset.tenantId() + " moved past revision " + expectedRevision
                                + " or was destroyed");
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE tenant_keysets SET keyset_id = ?, wrapped = ?, revision = ?, versions = " + VERSIONS_JSON
                            + ", created_at = ?, destroyed_at = ? WHERE tenant_id = ?")) {
                update.setString(1, keyset.keysetId());
                update.setBytes(2, keyset.wrappedKeyset());
                update.setLong(3, keyset.revision());
                bindVersions(connection, update, 4, keyset.versions());
                Jdbc.setInstant(update, 9, keyset.createdAt());
                Jdbc.setInstant(update, 10, keyset.destroyedAt().orElse(null));
                update.setString(11, keyset.tenantId().value());
                update.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void destroy(TenantId tenantId, Instant at) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(at, "at is null");
        boolean erased = Jdbc.inTransaction(dataSource, connection -> {
            StoredKeyset current = find(connection, tenantId, true)
                    .orElseThrow(() -> new FrostbyteException(
                            ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " has no keyset"));
            if (current.destroyed()) {
                return false;
            }
            List<KeyVersion> destroyed = current.versions().stream()
                    .map(v -> new KeyVersion(
                            v.version(),
                            v.keyId(),
                            KeyVersion.Status.DESTROYED,
                            v.createdAt(),
                            Optional.of(v.destroyedAt().orElse(at))))
                    .toList();
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE tenant_keysets SET wrapped = ''::bytea, revision = revision + 1, versions = "
                            + VERSIONS_JSON + ", destroyed_at = ? WHERE tenant_id = ?")) {
                bindVersions(connection, update, 1, destroyed);
                Jdbc.setInstant(update, 6, at);
                update.setString(7, tenantId.value());
                update.executeUpdate();
            }
            return true;
        });
        if (erased) {
            vacuum();
        }
    }

    /** Rewrites the table so the erased bytes leave the live data files at once rather than at the next autovacuum. */
    private void vacuum() {
        try (Connection connection = maintenance.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("SET lock_timeout = '5s'");
            try {
                statement.execute("VACUUM FULL tenant_keysets");
            } finally {
                statement.execute("RESET lock_timeout");
            }
        } catch (SQLException e) {
            LOG.warn("VACUUM FULL tenant_keysets after a keyset destruction failed (SQLState {})", e.getSQLState());
        }
    }

    private static Optional<StoredKeyset> find(Connection connection, TenantId tenantId, boolean lock)
            throws SQLException {
        if (lock) {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT 1 FROM tenant_keysets WHERE tenant_id = ? FOR UPDATE")) {
                select.setString(1, tenantId.value());
                select.executeQuery().close();
            }
        }
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setString(1, tenantId.value());
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String keysetId = rows.getString("keyset_id");
                byte[] wrapped = rows.getBytes("wrapped");
                long revision = rows.getLong("revision");
                Instant createdAt = Jdbc.instant(rows, "created_at");
                Optional<Instant> destroyedAt = Jdbc.optionalInstant(rows, "destroyed_at");
                List<KeyVersion> versions = new ArrayList<>();
                do {
                    int version = rows.getInt("version");
                    if (rows.wasNull()) {
                        continue;
                    }
                    String versionDestroyedAt = rows.getString("version_destroyed_at");
                    versions.add(new KeyVersion(
                            version,
                            rows.getLong("key_id"),
                            KeyVersion.Status.valueOf(rows.getString("status")),
                            Instant.parse(rows.getString("version_created_at")),
                            Optional.ofNullable(versionDestroyedAt).map(Instant::parse)));
                } while (rows.next());
                return Optional.of(
                        new StoredKeyset(tenantId, keysetId, wrapped, revision, versions, createdAt, destroyedAt));
            }
        }
    }

    private static void bindVersions(
            Connection connection, PreparedStatement statement, int index, List<KeyVersion> versions)
            throws SQLException {
        Integer[] numbers = new Integer[versions.size()];
        Long[] keyIds = new Long[versions.size()];
        String[] statuses = new String[versions.size()];
        String[] created = new String[versions.size()];
        String[] destroyed = new String[versions.size()];
        for (int i = 0; i < versions.size(); i++) {
            KeyVersion version = versions.get(i);
            numbers[i] = version.version();
            keyIds[i] = version.keyId();
            statuses[i] = version.status().name();
            created[i] = version.createdAt().toString();
            destroyed[i] = version.destroyedAt().map(Instant::toString).orElse(null);
        }
        statement.setArray(index, connection.createArrayOf("int4", numbers));
        statement.setArray(index + 1, connection.createArrayOf("int8", keyIds));
        statement.setArray(index + 2, connection.createArrayOf("text", statuses));
        statement.setArray(index + 3, connection.createArrayOf("text", created));
        statement.setArray(index + 4, connection.createArrayOf("text", destroyed));
    }
}
