package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.SecretSealer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * One small HikariCP pool per tenant database ({@code db.tenant_pool_size}, default 4; spec/07 §7.5), connecting as
 * the tenant's own role with its password unsealed from {@code tenant_secrets}. A pool opens on first use and stays
 * open until {@link #close(TenantId)} (on suspension and deprovisioning) or {@link #close()}.
 *
 * <p>Thread-safe: pools are opened under a lock, so each tenant has at most one.
 */
public final class TenantDatabases implements AutoCloseable {
    public static final int DEFAULT_POOL_SIZE = 4;

    private final DataSource control;
    private final JdbcUrl server;
    private final SecretSealer sealer;
    private final int poolSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<TenantId, HikariDataSource> pools = new HashMap<>();
    private boolean closed;

    /**
     * @param control the control database holding {@code tenant_secrets}
     * @param server a URL of the server holding the tenant databases (database and credentials are replaced)
     */
    public TenantDatabases(DataSource control, JdbcUrl server, SecretSealer sealer, int poolSize) {
        this.control = requireNonNull(control, "control is null");
        this.server = requireNonNull(server, "server is null").withoutCredentials();
        this.sealer = requireNonNull(sealer, "sealer is null");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be >= 1: " + poolSize);
        }
        this.poolSize = poolSize;
    }

    /**
     * The tenant's pooled data source, opening it if needed. Callers close the connections they borrow.
     *
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} when the tenant has no database password (not provisioned
     *     or deprovisioned), {@code SERVICE_UNAVAILABLE} when the database cannot be reached, {@code INTERNAL_ERROR}
     *     after {@link #close()}
     */
    public DataSource dataSource(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        lock.lock();
        try {
            if (closed) {
                throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "tenant databases are closed");
            }
            HikariDataSource pool = pools.get(tenantId);
            if (pool == null) {
                pool = open(tenantId);
                pools.put(tenantId, pool);
            }
            return pool;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a pool is open for the tenant. */
    public boolean isOpen(TenantId tenantId) {
        lock.lock();
        try {
            return pools.containsKey(tenantId);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the tenant's pool, if open; its connections are closed as they are returned. Idempotent. */
    public void close(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        HikariDataSource pool;
        lock.lock();
        try {
            pool = pools.remove(tenantId);
        } finally {
            lock.unlock();
        }
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            pools.values().forEach(HikariDataSource::close);
            pools.clear();
        } finally {
            lock.unlock();
        }
    }

    private HikariDataSource open(TenantId tenantId) {
        String password;
        try {
            password = TenantDatabaseStep.readPassword(control, sealer, tenantId)
                    .orElseThrow(() -> new FrostbyteException(
                            ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " has no database"));
        } catch (SQLException e) {
            throw Jdbc.failure(e);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("frostbyte-tenant-" + tenantId.value());
        config.setJdbcUrl(
                server.withDatabase(TenantDatabaseStep.databaseName(tenantId)).url());
        config.setUsername(TenantDatabaseStep.roleName(tenantId));
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.addDataSourceProperty("ApplicationName", "frostbyte");
        // a batch of inserts travels as multi-row INSERTs: one statement per 128 rows instead of one per row
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        try {
            TenantDatabaseStep.migrate(
                    server.withDatabase(TenantDatabaseStep.databaseName(tenantId))
                            .url(),
                    TenantDatabaseStep.roleName(tenantId),
                    password);
            return new HikariDataSource(config);
        } catch (FrostbyteException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FrostbyteException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "tenant " + tenantId + " database is unreachable ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }
}
