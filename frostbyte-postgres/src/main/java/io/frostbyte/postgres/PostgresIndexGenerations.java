package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The generations of every tenant's vector index in the control database's {@code index_generations} table (spec/04
 * §4.5). A tenant without a record gets generation 1 with the deployment's profile on first use; a rebuild adds
 * generation n+1 as {@code building} (at most one per tenant, enforced by a unique index so two nodes cannot both
 * start one), reports its progress, and then either switches (n retired, n+1 current, in one transaction) or fails.
 *
 * <p>A build whose progress has not moved for {@link #STALE_BUILD} is taken to be abandoned (its process died) and a
 * new rebuild replaces it, marking it {@code failed}.
 *
 * <p>Thread-safe.
 */
public final class PostgresIndexGenerations {
    /** How long a build may go without progress before another rebuild may replace it. */
    public static final Duration STALE_BUILD = Duration.ofMinutes(10);

    private static final String COLUMNS = "tenant_id, generation, profile, embed_model, embed_version, dimensions,"
            + " analyzer, status, chunks_total, chunks_done, error_code, created_at, updated_at, switched_at,"
            + " retired_at";

    /** A started rebuild: the generation queries keep using, the one being built, and a replaced stale build. */
    public record BuildStart(IndexGeneration current, IndexGeneration building, Optional<IndexGeneration> abandoned) {
        public BuildStart {
            requireNonNull(current, "current is null");
            requireNonNull(building, "building is null");
            requireNonNull(abandoned, "abandoned is null");
        }
    }

    private final DataSource dataSource;
    private final Clock clock;

    public PostgresIndexGenerations(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The tenant's current generation, or empty when it has none recorded yet. */
    public Optional<IndexGeneration> current(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return Jdbc.inTransaction(dataSource, true, connection -> find(connection, tenantId, "current", false));
    }

    /**
     * The tenant's current generation; a tenant without any record gets generation 1 with {@code initial} (tenants
     * indexed before generations were recorded used the deployment's profile). Idempotent under concurrency.
     */
    public IndexGeneration currentOrCreate(TenantId tenantId, IndexProfile initial) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(initial, "initial is null");
        Optional<IndexGeneration> current = current(tenantId);
        if (current.isPresent()) {
            return current.get();
        }
        return Jdbc.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO index_generations (" + COLUMNS
                    + ") VALUES (?, 1, ?, ?, ?, ?, ?, 'current', 0, 0, NULL, ?, ?, ?, NULL)"
                    + " ON CONFLICT DO NOTHING")) {
                insert.setString(1, tenantId.value());
                bindProfile(insert, 2, initial);
                Jdbc.setInstant(insert, 7, now);
                Jdbc.setInstant(insert, 8, now);
                Jdbc.setInstant(insert, 9, now);
                insert.executeUpdate();
            }
            return find(connection, tenantId, "current", false)
                    .orElseThrow(() -> new FrostbyteException(
                            ErrorCode.INTERNAL_ERROR,
                            "tenant " + tenantId + " has index generations but none current"));
        });
    }

    /**
     * Records generation n+1 (n the highest so far) as {@code building} with {@code profile}.
     *
     * @throws FrostbyteException {@code RESOURCE_NOT_READY} (409) while another rebuild of the tenant is running
     */
    public BuildStart startBuilding(TenantId tenantId, IndexProfile profile, IndexProfile initial) {
        requireNonNull(profile, "profile is null");
        IndexGeneration current = currentOrCreate(tenantId, initial);
        return Jdbc.inTransaction(dataSource, connection -> {
            Instant now = clock.instant();
            // serializes rebuild starts of one tenant
            find(connection, tenantId, "current", true);
            Optional<IndexGeneration> abandoned = Optional.empty();
            Optional<IndexGeneration> running = find(connection, tenantId, "building", true);
            if (running.isPresent()) {
                if (running.get().updatedAt().plus(STALE_BUILD).isAfter(now)) {
                    throw alreadyRunning(tenantId);
                }
                markFailed(connection, tenantId, running.get().generation(), "REBUILD_ABANDONED", now);
                abandoned = find(connection, tenantId, running.get().generation());
            }
            int next;
            try (PreparedStatement max =
                    connection.prepareStatement("SELECT max(generation) FROM index_generations WHERE tenant_id = ?")) {
                max.setString(1, tenantId.value());
                try (ResultSet rows = max.executeQuery()) {
                    rows.next();
                    next = rows.getInt(1) + 1;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO index_generations (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, 'building', 0, 0, NULL, ?, ?, NULL, NULL)")) {
                insert.setString(1, tenantId.value());
                insert.setInt(2, next);
                bindProfile(insert, 3, profile);
                Jdbc.setInstant(insert, 8, now);
                Jdbc.setInstant(insert, 9, now);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    throw alreadyRunning(tenantId);
                }
                throw e;
            }
            return new BuildStart(current, find(connection, tenantId, next).orElseThrow(), abandoned);
        });
    }

    /** Records a build's progress; also keeps it from being taken for abandoned. */
    public void progress(TenantId tenantId, int generation, long done, long total) {
        Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE index_generations SET chunks_done = ?, chunks_total = ?, updated_at = ?"
                            + " WHERE tenant_id = ? AND generation = ? AND status = 'building'")) {
                update.setLong(1, done);
                update.setLong(2, total);
                Jdbc.setInstant(update, 3, clock.instant());
                update.setString(4, tenantId.value());
                update.setInt(5, generation);
                if (update.executeUpdate() != 1) {
                    throw new FrostbyteException(
                            ErrorCode.RESOURCE_NOT_READY,
                            "generation " + generation + " of " + tenantId + " is no longer building");
                }
            }
            return null;
        });
    }

    /**
     * Makes the building {@code generation} current and retires the previous current one, inside the caller's
     * transaction (so an audit event commits with the switch).
     *
     * @return the retired generation
     * @throws FrostbyteException {@code RESOURCE_NOT_READY} when {@code generation} is not building
     */
    public IndexGeneration switchTo(Connection transaction, TenantId tenantId, int generation) {
        return Jdbc.onConnection(transaction, connection -> {
            Instant now = clock.instant();
            IndexGeneration previous = find(connection, tenantId, "current", true)
                    .orElseThrow(
                            () -> new FrostbyteException(ErrorCode.INTERNAL_ERROR, "tenant has no current generation"));
            IndexGeneration building = find(connection, tenantId, "building", true)
                    .filter(found -> found.generation() == generation)
                    .orElseThrow(() -> new FrostbyteException(
                            ErrorCode.RESOURCE_NOT_READY,
                            "generation " + generation + " of " + tenantId + " is not building"));
            try (PreparedStatement retire = connection.prepareStatement(
                    "UPDATE index_generations SET status = 'retired', retired_at = ?, updated_at = ?"
                            + " WHERE tenant_id = ? AND generation = ?")) {
                Jdbc.setInstant(retire, 1, now);
                Jdbc.setInstant(retire, 2, now);
                retire.setString(3, tenantId.value());
                retire.setInt(4, previous.generation());
                retire.executeUpdate();
            }
            try (PreparedStatement promote = connection.prepareStatement(
                    "UPDATE index_generations SET status = 'current', switched_at = ?, updated_at = ?"
                            + " WHERE tenant_id = ? AND generation = ?")) {
                Jdbc.setInstant(promote, 1, now);
                Jdbc.setInstant(promote, 2, now);
                promote.setString(3, tenantId.value());
                promote.setInt(4, building.generation());
                promote.executeUpdate();
            }
            return find(connection, tenantId, previous.generation()).orElseThrow();
        });
    }

    /** Marks a building generation failed (its index is to be dropped by the caller). */
    public void fail(TenantId tenantId, int generation, String errorCode) {
        requireNonNull(errorCode, "errorCode is null");
        Jdbc.inTransaction(dataSource, connection -> {
            markFailed(connection, tenantId, generation, errorCode, clock.instant());
            return null;
        });
    }

    /** The tenant's build in progress, if any. */
    public Optional<IndexGeneration> building(TenantId tenantId) {
        return Jdbc.inTransaction(dataSource, true, connection -> find(connection, tenantId, "building", false));
    }

    /** One generation of the tenant. */
    public Optional<IndexGeneration> find(TenantId tenantId, int generation) {
        return Jdbc.inTransaction(dataSource, true, connection -> find(connection, tenantId, generation));
    }

    /** Every generation of the tenant, newest first. */
    public List<IndexGeneration> list(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return Jdbc.inTransaction(dataSource, true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM index_generations WHERE tenant_id = ? ORDER BY generation DESC")) {
                select.setString(1, tenantId.value());
                List<IndexGeneration> generations = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        generations.add(generation(rows));
                    }
                }
                return generations;
            }
        });
    }

    /**
     * Embed and index jobs of the tenant that a worker holds with a live lease: a rebuild that has halted the tenant's
     * embedding waits for these to finish before it switches.
     */
    public long pipelineJobsInFlight(TenantId tenantId) {
        return Jdbc.inTransaction(dataSource, true, connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT count(*) FROM jobs WHERE tenant_id = ? AND stage IN ('embed', 'index')"
                            + " AND status = 'processing' AND lease_until > ?")) {
                count.setString(1, tenantId.value());
                Jdbc.setInstant(count, 2, clock.instant());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private static FrostbyteException alreadyRunning(TenantId tenantId) {
        return new FrostbyteException(
                ErrorCode.RESOURCE_NOT_READY, "An index rebuild is already running for tenant " + tenantId + ".");
    }

    private static void markFailed(Connection connection, TenantId tenantId, int generation, String code, Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE index_generations SET status = 'failed', error_code = ?, retired_at = ?, updated_at = ?"
                        + " WHERE tenant_id = ? AND generation = ? AND status = 'building'")) {
            update.setString(1, code);
            Jdbc.setInstant(update, 2, now);
            Jdbc.setInstant(update, 3, now);
            update.setString(4, tenantId.value());
            update.setInt(5, generation);
            update.executeUpdate();
        }
    }

    private static void bindProfile(PreparedStatement statement, int first, IndexProfile profile) throws SQLException {
        statement.setString(first, profile.profile());
        statement.setString(first + 1, profile.embedModel());
        statement.setString(first + 2, profile.embedVersion());
        statement.setInt(first + 3, profile.dimensions());
        statement.setString(first + 4, profile.analyzer());
    }

    private static Optional<IndexGeneration> find(Connection connection, TenantId tenantId, String status, boolean lock)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM index_generations WHERE tenant_id = ? AND status = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, tenantId.value());
            select.setString(2, status);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(generation(rows)) : Optional.empty();
            }
        }
    }

    private static Optional<IndexGeneration> find(Connection connection, TenantId tenantId, int generation)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM index_generations WHERE tenant_id = ? AND generation = ?")) {
            select.setString(1, tenantId.value());
            select.setInt(2, generation);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(generation(rows)) : Optional.empty();
            }
        }
    }

    private static IndexGeneration generation(ResultSet rows) throws SQLException {
        return new IndexGeneration(
                TenantId.of(rows.getString("tenant_id")),
                rows.getInt("generation"),
                new IndexProfile(
                        rows.getString("profile"),
                        rows.getString("embed_model"),
                        rows.getString("embed_version"),
                        rows.getInt("dimensions"),
                        rows.getString("analyzer")),
                IndexGeneration.Status.fromWire(rows.getString("status")),
                rows.getLong("chunks_total"),
                rows.getLong("chunks_done"),
                Optional.ofNullable(rows.getString("error_code")),
                Jdbc.instant(rows, "created_at"),
                Jdbc.instant(rows, "updated_at"),
                Jdbc.optionalInstant(rows, "switched_at"),
                Jdbc.optionalInstant(rows, "retired_at"));
    }
}
