package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.job.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads and resolves dead letters (spec/09 §9.1, spec/08 {@code /dead-letters}). Lookups and resolutions are
 * tenant-scoped: another tenant's entry id is not found. Only a {@code pending_review} entry can be resolved, once:
 * {@link #retry} queues a new job of the same stage with attempts reset and marks the entry {@code resolved}
 * ({@code reprocessed}); {@link #abandon} marks it {@code abandoned}. Both lock the entry, so two concurrent
 * resolutions cannot both succeed.
 *
 * <p>Methods taking a {@link Connection} run inside the caller's transaction (to write DLQ_RESOLVED with the change)
 * and neither commit nor close it; the others run in a transaction of their own. Thread-safe.
 */
public final class PostgresDeadLetters {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private static final String COLUMNS = "dlq_entry_id, tenant_id, original_job_id, stage, resource_type, resource_id,"
            + " first_attempt_at, last_attempt_at, retry_count, error ->> 'code' AS error_code,"
            + " error ->> 'message' AS error_message, error ->> 'stack_trace_hash' AS stack_trace_hash, status,"
            + " resolved_at, resolution, resolved_by, new_job_id";

    private final DataSource dataSource;
    private final Clock clock;
    private final Uuid7 ids;

    public PostgresDeadLetters(DataSource dataSource, Clock clock) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ids = new Uuid7(clock);
    }

    /**
     * One page of entries matching the filter, oldest first.
     *
     * @param page 1-based
     * @param limit 1 to {@value #MAX_LIMIT}
     * @throws FrostbyteException {@code VALIDATION_ERROR} for a page below 1 or a limit out of range
     */
    public DeadLetterPage list(DeadLetterFilter filter, int page, int limit) {
        requireNonNull(filter, "filter is null");
        if (page < 1) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "page must be >= 1");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "limit must be 1 to " + MAX_LIMIT);
        }
        String where = " WHERE (?::text IS NULL OR tenant_id = ?) AND (?::text IS NULL OR stage = ?)"
                + " AND (?::text IS NULL OR status = ?)";
        return Jdbc.inTransaction(dataSource, connection -> {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM dead_letters" + where)) {
                bindFilter(count, filter);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<DeadLetter> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM dead_letters" + where + " ORDER BY dlq_entry_id LIMIT ? OFFSET ?")) {
                bindFilter(select, filter);
                select.setInt(7, limit);
                select.setLong(8, (long) (page - 1) * limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(entry(rows));
                    }
                }
            }
            return new DeadLetterPage(entries, page, limit, total);
        });
    }

    /** The tenant's entry; empty when it does not exist or belongs to another tenant. */
    public Optional<DeadLetter> find(TenantId tenantId, UUID dlqEntryId) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(dlqEntryId, "dlqEntryId is null");
        return Jdbc.inTransaction(dataSource, connection -> find(connection, tenantId, dlqEntryId, false));
    }

    /** Retries in a transaction of its own; see {@link #retry(Connection, TenantId, UUID, String)}. */
    public DeadLetter retry(TenantId tenantId, UUID dlqEntryId, String actor) {
        return Jdbc.inTransaction(dataSource, connection -> retry(connection, tenantId, dlqEntryId, actor));
    }

    /**
     * Queues a new job for the entry's stage and resource (same idempotency key and payload, attempt 0, due now) and
     * resolves the entry as {@code reprocessed}. The dead job keeps its row; its idempotency key gets the suffix
     * {@code #dlq:<dlq_entry_id>} so the new job can hold the key.
     *
     * @return the resolved entry; {@link DeadLetter#newJobId()} is the new job
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unknown entry or another tenant's, {@code
     *     INVALID_STATE_TRANSITION} when the entry is not {@code pending_review}
     */
    public DeadLetter retry(Connection transaction, TenantId tenantId, UUID dlqEntryId, String actor) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(dlqEntryId, "dlqEntryId is null");
        requireActor(actor);
        Instant now = Jdbc.micros(clock.instant());
        return Jdbc.onConnection(transaction, connection -> {
            DeadLetter entry = pending(connection, tenantId, dlqEntryId);
            String key;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT idempotency_key FROM jobs WHERE job_id = ? AND tenant_id = ? AND status = 'dead'"
                            + " FOR UPDATE")) {
                select.setObject(1, entry.originalJobId());
                select.setString(2, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        throw new FrostbyteException(
                                ErrorCode.INVALID_STATE_TRANSITION,
                                "the dead job of dead letter " + dlqEntryId + " no longer exists");
                    }
                    key = rows.getString(1);
                }
            }
            try (PreparedStatement free = connection.prepareStatement(
                    "UPDATE jobs SET idempotency_key = ?, updated_at = ? WHERE job_id = ?")) {
                free.setString(1, key + "#dlq:" + dlqEntryId);
                Jdbc.setInstant(free, 2, now);
                free.setObject(3, entry.originalJobId());
                free.executeUpdate();
            }
            UUID newJobId = ids.next();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO jobs (job_id, tenant_id, stage, resource_type, resource_id, idempotency_key, payload,
                                      status, attempt, next_run_at, created_at, updated_at)
                    SELECT ?, tenant_id, stage, resource_type, resource_id, ?, payload, 'queued', 0, ?, ?, ?
                    FROM jobs WHERE job_id = ?
                    """)) {
                insert.setObject(1, newJobId);
                insert.setString(2, key);
                Jdbc.setInstant(insert, 3, now);
                Jdbc.setInstant(insert, 4, now);
                Jdbc.setInstant(insert, 5, now);
                insert.setObject(6, entry.originalJobId());
                insert.executeUpdate();
            }
            resolve(connection, entry, "resolved", DeadLetterResolution.REPROCESSED, actor, newJobId, now);
            return find(connection, tenantId, dlqEntryId, false).orElseThrow();
        });
    }

    /** Abandons in a transaction of its own; see {@link #abandon(Connection, TenantId, UUID, DeadLetterResolution, String)}. */
    public DeadLetter abandon(TenantId tenantId, UUID dlqEntryId, DeadLetterResolution resolution, String actor) {
        return Jdbc.inTransaction(
                dataSource, connection -> abandon(connection, tenantId, dlqEntryId, resolution, actor));
    }

    /**
     * Marks the entry {@code abandoned}; its job stays {@code dead}.
     *
     * @param resolution {@link DeadLetterResolution#SKIPPED} or {@link DeadLetterResolution#MANUAL_FIX}
     * @throws FrostbyteException {@code VALIDATION_ERROR} for {@code reprocessed}, {@code RESOURCE_NOT_FOUND} for an
     *     unknown entry or another tenant's, {@code INVALID_STATE_TRANSITION} when it is not {@code pending_review}
     */
    public DeadLetter abandon(
            Connection transaction, TenantId tenantId, UUID dlqEntryId, DeadLetterResolution resolution, String actor) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(dlqEntryId, "dlqEntryId is null");
        requireNonNull(resolution, "resolution is null");
        requireActor(actor);
        if (resolution == DeadLetterResolution.REPROCESSED) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "resolution must be skipped or manual_fix");
        }
        Instant now = Jdbc.micros(clock.instant());
        return Jdbc.onConnection(transaction, connection -> {
            DeadLetter entry = pending(connection, tenantId, dlqEntryId);
            resolve(connection, entry, "abandoned", resolution, actor, null, now);
            return find(connection, tenantId, dlqEntryId, false).orElseThrow();
        });
    }

    private static DeadLetter pending(Connection connection, TenantId tenantId, UUID dlqEntryId) throws SQLException {
        DeadLetter entry = find(connection, tenantId, dlqEntryId, true)
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.RESOURCE_NOT_FOUND, "dead letter " + dlqEntryId + " not found"));
        if (entry.status() != DeadLetterStatus.PENDING_REVIEW) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION,
                    "dead letter " + dlqEntryId + " is already "
                            + entry.status().wire());
        }
        return entry;
    }

    private static void resolve(
            Connection connection,
            DeadLetter entry,
            String status,
            DeadLetterResolution resolution,
            String actor,
            UUID newJobId,
            Instant now)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE dead_letters SET status = ?, resolution = ?, resolved_at = ?, resolved_by = ?, new_job_id = ?"
                        + " WHERE dlq_entry_id = ? AND status = 'pending_review'")) {
            update.setString(1, status);
            update.setString(2, resolution.wire());
            Jdbc.setInstant(update, 3, now);
            update.setString(4, actor);
            update.setObject(5, newJobId);
            update.setObject(6, entry.dlqEntryId());
            update.executeUpdate();
        }
    }

    private static Optional<DeadLetter> find(Connection connection, TenantId tenantId, UUID dlqEntryId, boolean lock)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM dead_letters WHERE dlq_entry_id = ? AND tenant_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            select.setObject(1, dlqEntryId);
            select.setString(2, tenantId.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(entry(rows)) : Optional.empty();
            }
        }
    }

    private static void bindFilter(PreparedStatement statement, DeadLetterFilter filter) throws SQLException {
        String tenant = filter.tenantId().map(TenantId::value).orElse(null);
        String stage = filter.stage().map(Stage::wire).orElse(null);
        String status = filter.status().map(DeadLetterStatus::wire).orElse(null);
        statement.setString(1, tenant);
        statement.setString(2, tenant);
        statement.setString(3, stage);
        statement.setString(4, stage);
        statement.setString(5, status);
        statement.setString(6, status);
    }

    private static DeadLetter entry(ResultSet rows) throws SQLException {
        return new DeadLetter(
                rows.getObject("dlq_entry_id", UUID.class),
                TenantId.of(rows.getString("tenant_id")),
                rows.getObject("original_job_id", UUID.class),
                Stage.fromWire(rows.getString("stage")),
                rows.getString("resource_type"),
                rows.getString("resource_id"),
                Jdbc.instant(rows, "first_attempt_at"),
                Jdbc.instant(rows, "last_attempt_at"),
                rows.getInt("retry_count"),
                ErrorCode.valueOf(rows.getString("error_code")),
                rows.getString("error_message"),
                rows.getString("stack_trace_hash"),
                DeadLetterStatus.fromWire(rows.getString("status")),
                Jdbc.optionalInstant(rows, "resolved_at"),
                Optional.ofNullable(rows.getString("resolution")).map(DeadLetterResolution::fromWire),
                Optional.ofNullable(rows.getString("resolved_by")),
                Optional.ofNullable(rows.getObject("new_job_id", UUID.class)));
    }

    private static void requireActor(String actor) {
        requireNonNull(actor, "actor is null");
        if (actor.isBlank() || actor.length() > 200) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "actor must have 1 to 200 characters");
        }
    }
}
