package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.JobStatus;
import io.frostbyte.core.job.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job queue in the control database's {@code jobs} table (spec/09 §9.1, ARCHITECTURE §7).
 *
 * <p><b>Idempotency.</b> {@link #enqueue} is idempotent on {@code (tenant_id, stage, idempotency_key)}: the same key returns the
 * existing job's id (whatever its status) and never adds a row. Keys are scoped to their tenant: two tenants sending
 * the same bytes get one job each, and one tenant's enqueue never sees another tenant's job.
 *
 * <p><b>Claiming.</b> {@link #claim} takes due jobs ({@code next_run_at <= now} by the injected clock) and jobs whose
 * lease expired (the worker died: the attempt counts), with {@code FOR UPDATE SKIP LOCKED}, skipping tenants that are
 * not {@code ACTIVE} and, while a tenant's embedding is halted, its embed and index jobs. At most {@code
 * maxConcurrentPerTenant} jobs of a tenant hold an unexpired lease at once; within a claim, tenants take turns (each
 * tenant's oldest job first, then each tenant's second, ...), oldest {@code next_run_at} first within a turn. Claims are
 * serialised by a transaction-scoped advisory lock ({@value #CLAIM_LOCK}) so the per-tenant count is exact; a claim
 * transaction lasts milliseconds. A job whose lease expired on its stage's last attempt is dead-lettered
 * ({@code INTERNAL_ERROR}) instead of being run again.
 *
 * <p><b>Leases.</b> A lease is identified by the job id, the owner and the attempt number, so {@link #renewLease},
 * {@link #complete} and {@link #fail} from a worker whose job was reclaimed change nothing and report it.
 *
 * <p><b>Transactions.</b> Methods taking a {@link Connection} work inside the caller's transaction (to commit a stage's
 * outputs, audit events, its completion and the next stage's job together, spec/09 OPS-2a) and neither commit nor close
 * it; the others run in a transaction of their own. Timestamps come from the injected clock, truncated to microseconds.
 *
 * <p>Thread-safe.
 */
public final class PostgresJobQueue {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresJobQueue.class);

    /** The advisory lock key serialising claims (ASCII "fbclaim"). */
    public static final long CLAIM_LOCK = 0x6662636c61696dL;

    private static final String MAX_ATTEMPTS_SQL = Arrays.stream(Stage.values())
            .map(stage -> "WHEN '" + stage.wire() + "' THEN " + stage.maxAttempts())
            .collect(Collectors.joining(" ", "CASE j.stage ", " END"));

    private static final String JOB_COLUMNS = "j.job_id, j.tenant_id, j.stage, j.resource_type, j.resource_id,"
            + " j.idempotency_key, " + Jdbc.mapKeysSql("j.payload") + " AS payload_keys, "
            + Jdbc.mapValuesSql("j.payload") + " AS payload_values, j.attempt, j.lease_owner, j.lease_until,"
            + " j.created_at, j.next_run_at";

    private static final String CLAIM_SQL = """
            WITH running AS (
                SELECT tenant_id, count(*) AS n
                FROM jobs
                WHERE status = 'processing' AND lease_until >= ?
                GROUP BY tenant_id
            ),
            eligible AS (
                SELECT t.tenant_id, t.embedding_halted, ? - coalesce(r.n, 0) AS free
                FROM tenants t LEFT JOIN running r ON r.tenant_id = t.tenant_id
                WHERE t.state = 'ACTIVE' AND ? - coalesce(r.n, 0) > 0
            ),
            candidates AS (
                SELECT c.job_id, c.next_run_at,
                       row_number() OVER (PARTITION BY c.tenant_id ORDER BY c.next_run_at, c.job_id) AS turn
                FROM eligible e
                CROSS JOIN LATERAL (
                    SELECT j.job_id, j.tenant_id, j.next_run_at
                    FROM jobs j
                    WHERE j.tenant_id = e.tenant_id
                      AND j.stage = ANY (?::text[])
                      AND NOT (e.embedding_halted AND j.stage = ANY (?::text[]))
                      AND j.status IN ('queued', 'processing')
                      AND j.next_run_at <= ?
                      AND (j.status = 'queued' OR (j.lease_until < ? AND j.attempt < %s))
                    ORDER BY j.next_run_at, j.job_id
                    LIMIT least(e.free, ?)
                    FOR UPDATE OF j SKIP LOCKED
                ) c
            ),
            chosen AS (
                SELECT job_id FROM candidates ORDER BY turn, next_run_at, job_id LIMIT ?
            )
            UPDATE jobs j
            SET status = 'processing', attempt = j.attempt + 1, lease_owner = ?, lease_until = ?,
                first_attempt_at = coalesce(j.first_attempt_at, ?), updated_at = ?
            FROM chosen
            WHERE j.job_id = chosen.job_id
            RETURNING %s
            """.formatted(MAX_ATTEMPTS_SQL, JOB_COLUMNS);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration lease;
    private final int maxConcurrentPerTenant;
    private final Uuid7 ids;

    /**
     * @param lease how long a claim holds a job before another worker may take it (spec default 300 s)
     * @param maxConcurrentPerTenant how many jobs of one tenant may hold a lease at once (spec default 4)
     */
    public PostgresJobQueue(DataSource dataSource, Clock clock, Duration lease, int maxConcurrentPerTenant) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lease = requireNonNull(lease, "lease is null");
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("lease must be at least 1 s: " + lease);
        }
        if (maxConcurrentPerTenant < 1) {
            throw new IllegalArgumentException("maxConcurrentPerTenant must be >= 1: " + maxConcurrentPerTenant);
        }
        this.maxConcurrentPerTenant = maxConcurrentPerTenant;
        this.ids = new Uuid7(clock);
    }

    public Duration lease() {
        return lease;
    }

    /** Enqueues in a transaction of its own; see {@link #enqueue(Connection, JobRequest)}. */
    public UUID enqueue(JobRequest request) {
        requireNonNull(request, "request is null");
        return Jdbc.inTransaction(dataSource, connection -> enqueue(connection, request));
    }

    /**
     * Enqueues a job inside the caller's transaction: a rollback leaves no job. It is due now, or since
     * {@link JobRequest#dueSince()} when that is earlier.
     *
     * @return the new job's id, or the id of the tenant's job that already holds {@code (stage, idempotency_key)}
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} for an unregistered tenant
     */
    public UUID enqueue(Connection transaction, JobRequest request) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(request, "request is null");
        Instant now = Jdbc.micros(clock.instant());
        Instant due = request.dueSince()
                .map(Jdbc::micros)
                .filter(since -> since.isBefore(now))
                .orElse(now);
        return Jdbc.onConnection(transaction, connection -> {
            UUID jobId = ids.next();
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO jobs (job_id, tenant_id, stage, resource_type, resource_id, idempotency_key, payload,
                                      status, attempt, next_run_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, jsonb_object(?::text[], ?::text[]), 'queued', 0, ?, ?, ?)
                    ON CONFLICT (tenant_id, stage, idempotency_key) DO NOTHING
                    """)) {
                insert.setObject(1, jobId);
                insert.setString(2, request.tenantId().value());
                insert.setString(3, request.stage().wire());
                insert.setString(4, request.resourceType());
                insert.setString(5, request.resourceId());
                insert.setString(6, request.idempotencyKey());
                Jdbc.bindMap(connection, insert, 7, request.payload());
                Jdbc.setInstant(insert, 9, due);
                Jdbc.setInstant(insert, 10, now);
                Jdbc.setInstant(insert, 11, now);
                if (insert.executeUpdate() == 1) {
                    return jobId;
                }
            } catch (SQLException e) {
                if (Jdbc.isForeignKeyViolation(e)) {
                    throw new FrostbyteException(
                            ErrorCode.RESOURCE_NOT_FOUND, "tenant " + request.tenantId() + " is not registered");
                }
                throw e;
            }
            return existing(connection, request);
        });
    }

    /**
     * Claims up to {@code max} jobs of the given stages for {@code workerId}: each becomes {@code processing} with
     * {@code attempt + 1} and a lease until now + {@link #lease()}.
     *
     * @return the claimed jobs, oldest {@code next_run_at} first; empty when nothing is due
     */
    public List<Job> claim(String workerId, int max, Set<Stage> stages) {
        requireNonNull(workerId, "workerId is null");
        requireNonNull(stages, "stages is null");
        if (workerId.isBlank()) {
            throw new IllegalArgumentException("workerId is blank");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1: " + max);
        }
        if (stages.isEmpty()) {
            return List.of();
        }
        return Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, CLAIM_LOCK);
                lock.execute();
            }
            Instant now = Jdbc.micros(clock.instant());
            deadLetterExhaustedLeases(connection, now);
            List<String> haltedStages = Arrays.stream(Stage.values())
                    .filter(Stage::haltedWithEmbedding)
                    .map(Stage::wire)
                    .toList();
            List<Claimed> claimed = new ArrayList<>();
            try (PreparedStatement claim = connection.prepareStatement(CLAIM_SQL)) {
                int i = 1;
                Jdbc.setInstant(claim, i++, now);
                claim.setInt(i++, maxConcurrentPerTenant);
                claim.setInt(i++, maxConcurrentPerTenant);
                claim.setArray(
                        i++,
                        Jdbc.textArray(
                                connection, stages.stream().map(Stage::wire).toList()));
                claim.setArray(i++, Jdbc.textArray(connection, haltedStages));
                Jdbc.setInstant(claim, i++, now);
                Jdbc.setInstant(claim, i++, now);
                claim.setInt(i++, max);
                claim.setInt(i++, max);
                claim.setString(i++, workerId);
                Jdbc.setInstant(claim, i++, now.plus(lease));
                Jdbc.setInstant(claim, i++, now);
                Jdbc.setInstant(claim, i, now);
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        claimed.add(new Claimed(job(rows), Jdbc.instant(rows, "next_run_at")));
                    }
                }
            }
            return claimed.stream()
                    .sorted(Comparator.comparing(Claimed::nextRunAt)
                            .thenComparing(c -> c.job().jobId()))
                    .map(Claimed::job)
                    .toList();
        });
    }

    /**
     * Extends the lease to now + {@link #lease()}.
     *
     * @return the job with its new {@link Job#leaseUntil()}
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} when the lease was lost: the job was reclaimed by
     *     another worker, or finished
     */
    public Job renewLease(Job job) {
        requireNonNull(job, "job is null");
        Instant now = Jdbc.micros(clock.instant());
        Instant until = now.plus(lease);
        boolean renewed = Jdbc.inTransaction(dataSource, connection -> {
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE jobs SET lease_until = ?, updated_at = ?"
                            + " WHERE job_id = ? AND status = 'processing' AND lease_owner = ? AND attempt = ?")) {
                Jdbc.setInstant(update, 1, until);
                Jdbc.setInstant(update, 2, now);
                update.setObject(3, job.jobId());
                update.setString(4, job.leaseOwner());
                update.setInt(5, job.attempt());
                return update.executeUpdate() == 1;
            }
        });
        if (!renewed) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION, "lease on job " + job.jobId() + " was lost");
        }
        return new Job(
                job.jobId(),
                job.tenantId(),
                job.stage(),
                job.resourceType(),
                job.resourceId(),
                job.idempotencyKey(),
                job.payload(),
                job.attempt(),
                job.leaseOwner(),
                until,
                job.createdAt(),
                job.dueAt());
    }

    /**
     * Completes as one auto-committed statement; see {@link #complete(Connection, Job)}. A handler that completed its
     * own job in its transaction makes this a read of the job's row.
     */
    public boolean complete(Job job) {
        requireNonNull(job, "job is null");
        return Jdbc.autoCommitted(dataSource, connection -> complete(connection, job));
    }

    /**
     * Marks the job {@code completed} inside the caller's transaction, if the caller still holds its lease. Completing
     * a job this lease already completed answers {@code true} again. One statement: the update, and the row as it was
     * before it (to tell "already completed by this lease" from "lease lost").
     *
     * @return {@code false} (and a warning in the log) when the lease was lost and nothing was changed
     */
    public boolean complete(Connection transaction, Job job) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(job, "job is null");
        Instant now = Jdbc.micros(clock.instant());
        return Jdbc.onConnection(transaction, connection -> {
            boolean completed = false;
            boolean alreadyCompleted = false;
            try (PreparedStatement update = connection.prepareStatement("""
                    WITH done AS (
                        UPDATE jobs SET status = 'completed', updated_at = ?
                        WHERE job_id = ? AND status = 'processing' AND lease_owner = ? AND attempt = ?
                        RETURNING job_id
                    )
                    SELECT EXISTS (SELECT 1 FROM done),
                           EXISTS (SELECT 1 FROM jobs WHERE job_id = ? AND status = 'completed' AND lease_owner = ?
                                   AND attempt = ?)
                    """)) {
                Jdbc.setInstant(update, 1, now);
                update.setObject(2, job.jobId());
                update.setString(3, job.leaseOwner());
                update.setInt(4, job.attempt());
                update.setObject(5, job.jobId());
                update.setString(6, job.leaseOwner());
                update.setInt(7, job.attempt());
                try (ResultSet rows = update.executeQuery()) {
                    rows.next();
                    completed = rows.getBoolean(1);
                    alreadyCompleted = rows.getBoolean(2);
                }
            }
            if (completed) {
                return true;
            }
            if (!alreadyCompleted) {
                LOG.warn(
                        "refused to complete job {} (stage {}, tenant {}): worker {} lost the lease of attempt {}",
                        job.jobId(),
                        job.stage().wire(),
                        job.tenantId(),
                        job.leaseOwner(),
                        job.attempt());
            }
            return alreadyCompleted;
        });
    }

    /** Fails an attempt without an exception; see {@link #fail(Connection, Job, JobFailure)}. */
    public FailOutcome fail(Job job, ErrorCode code, String message) {
        return fail(job, JobFailure.of(code, message));
    }

    /** Fails an attempt in a transaction of its own; see {@link #fail(Connection, Job, JobFailure)}. */
    public FailOutcome fail(Job job, JobFailure failure) {
        requireNonNull(job, "job is null");
        requireNonNull(failure, "failure is null");
        return Jdbc.inTransaction(dataSource, connection -> fail(connection, job, failure));
    }

    /**
     * Records a failed attempt inside the caller's transaction. A {@link ErrorCode#retriable() retriable} code with
     * attempts left queues the job again at now + {@code stage.backoffs()[attempt - 1]}; otherwise the job becomes
     * {@code dead} and a {@code pending_review} dead letter is written in the same transaction.
     */
    public FailOutcome fail(Connection transaction, Job job, JobFailure failure) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(job, "job is null");
        requireNonNull(failure, "failure is null");
        Instant now = Jdbc.micros(clock.instant());
        return Jdbc.onConnection(transaction, connection -> {
            Optional<LeaseRow> row = lockLease(connection, job);
            if (row.isEmpty()) {
                LOG.warn(
                        "refused to fail job {} (stage {}, tenant {}): worker {} lost the lease of attempt {}",
                        job.jobId(),
                        job.stage().wire(),
                        job.tenantId(),
                        job.leaseOwner(),
                        job.attempt());
                return new FailOutcome.LeaseLost();
            }
            Stage stage = job.stage();
            if (failure.code().retriable() && job.attempt() < stage.maxAttempts()) {
                Instant nextRunAt = now.plus(stage.backoffs().get(job.attempt() - 1));
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE jobs SET status = 'queued', next_run_at = ?, lease_owner = NULL, lease_until = NULL,"
                                + " last_error = jsonb_build_object('code', ?::text, 'message', ?::text),"
                                + " updated_at = ? WHERE job_id = ?")) {
                    Jdbc.setInstant(update, 1, nextRunAt);
                    update.setString(2, failure.code().name());
                    update.setString(3, failure.message());
                    Jdbc.setInstant(update, 4, now);
                    update.setObject(5, job.jobId());
                    update.executeUpdate();
                }
                return new FailOutcome.Retried(nextRunAt);
            }
            return new FailOutcome.DeadLettered(deadLetter(connection, row.get(), failure, now));
        });
    }

    /** Queued jobs (due or waiting for a retry) per stage; every stage is present. */
    public Map<Stage, Long> queueDepth() {
        return countPerStage("SELECT stage, count(*) FROM jobs WHERE status = 'queued' GROUP BY stage");
    }

    /** Dead letters awaiting review per stage; every stage is present. */
    public Map<Stage, Long> deadLetterDepth() {
        return countPerStage("SELECT stage, count(*) FROM dead_letters WHERE status = 'pending_review' GROUP BY stage");
    }

    /** A tenant's job as it stands; another tenant's job id is not found. */
    public Optional<JobSnapshot> find(TenantId tenantId, UUID jobId) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(jobId, "jobId is null");
        return Jdbc.inTransaction(dataSource, connection -> snapshot(connection, jobId))
                .filter(snapshot -> snapshot.tenantId().equals(tenantId));
    }

    private Map<Stage, Long> countPerStage(String sql) {
        return Jdbc.inTransaction(dataSource, connection -> {
            Map<Stage, Long> counts = new EnumMap<>(Stage.class);
            for (Stage stage : Stage.values()) {
                counts.put(stage, 0L);
            }
            try (PreparedStatement select = connection.prepareStatement(sql);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(Stage.fromWire(rows.getString(1)), rows.getLong(2));
                }
            }
            return Collections.unmodifiableMap(counts);
        });
    }

    private UUID existing(Connection connection, JobRequest request) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT job_id FROM jobs WHERE tenant_id = ? AND stage = ? AND idempotency_key = ?")) {
            select.setString(1, request.tenantId().value());
            select.setString(2, request.stage().wire());
            select.setString(3, request.idempotencyKey());
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    // only under REPEATABLE READ or stricter: the holder committed after this snapshot
                    throw new FrostbyteException(
                            ErrorCode.SERVICE_UNAVAILABLE, "a concurrent enqueue holds the idempotency key; retry");
                }
                return rows.getObject("job_id", UUID.class);
            }
        }
    }

    /** Dead-letters jobs whose worker died on the stage's last attempt, so they are not run yet again. */
    private void deadLetterExhaustedLeases(Connection connection, Instant now) throws SQLException {
        List<LeaseRow> exhausted = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT j.job_id, j.tenant_id, j.stage, j.resource_type, j.resource_id, j.attempt,"
                        + " j.first_attempt_at, j.created_at FROM jobs j"
                        + " WHERE j.status = 'processing' AND j.lease_until < ? AND j.attempt >= "
                        + MAX_ATTEMPTS_SQL + " ORDER BY j.lease_until LIMIT 100 FOR UPDATE SKIP LOCKED")) {
            Jdbc.setInstant(select, 1, now);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    exhausted.add(leaseRow(rows));
                }
            }
        }
        for (LeaseRow row : exhausted) {
            JobFailure failure =
                    JobFailure.of(ErrorCode.INTERNAL_ERROR, "lease expired on the last attempt (worker lost)");
            UUID entry = deadLetter(connection, row, failure, now);
            LOG.warn(
                    "job {} (stage {}, tenant {}) lost its worker on its last attempt; dead letter {}",
                    row.jobId(),
                    row.stage().wire(),
                    row.tenantId(),
                    entry);
        }
    }

    private UUID deadLetter(Connection connection, LeaseRow row, JobFailure failure, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE jobs SET status = 'dead', last_error = jsonb_build_object('code', ?::text, 'message', ?::text),"
                        + " updated_at = ? WHERE job_id = ?")) {
            update.setString(1, failure.code().name());
            update.setString(2, failure.message());
            Jdbc.setInstant(update, 3, now);
            update.setObject(4, row.jobId());
            update.executeUpdate();
        }
        UUID entryId = ids.next();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO dead_letters (dlq_entry_id, tenant_id, original_job_id, stage, resource_type, resource_id,
                                          first_attempt_at, last_attempt_at, retry_count, error, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
                        jsonb_build_object('code', ?::text, 'message', ?::text, 'stack_trace_hash', ?::text),
                        'pending_review')
                """)) {
            insert.setObject(1, entryId);
            insert.setString(2, row.tenantId().value());
            insert.setObject(3, row.jobId());
            insert.setString(4, row.stage().wire());
            insert.setString(5, row.resourceType());
            insert.setString(6, row.resourceId());
            Jdbc.setInstant(insert, 7, row.firstAttemptAt());
            Jdbc.setInstant(insert, 8, now);
            insert.setInt(9, Math.max(0, row.attempt() - 1));
            insert.setString(10, failure.code().name());
            insert.setString(11, failure.message());
            insert.setString(12, failure.stackTraceHash());
            insert.executeUpdate();
        }
        LOG.warn(
                "job {} (stage {}, tenant {}) dead-lettered as {} after {} attempt(s): {}",
                row.jobId(),
                row.stage().wire(),
                row.tenantId(),
                entryId,
                row.attempt(),
                failure.code());
        return entryId;
    }

    private static Optional<LeaseRow> lockLease(Connection connection, Job job) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT j.job_id, j.tenant_id, j.stage, j.resource_type, j.resource_id, j.attempt,"
                        + " j.first_attempt_at, j.created_at FROM jobs j WHERE j.job_id = ?"
                        + " AND j.status = 'processing' AND j.lease_owner = ? AND j.attempt = ? FOR UPDATE")) {
            select.setObject(1, job.jobId());
            select.setString(2, job.leaseOwner());
            select.setInt(3, job.attempt());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(leaseRow(rows)) : Optional.empty();
            }
        }
    }

    static Optional<JobSnapshot> snapshot(Connection connection, UUID jobId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT job_id, tenant_id, stage, resource_type, resource_id, idempotency_key, status, attempt,"
                        + " next_run_at, lease_owner, lease_until, last_error ->> 'code' AS error_code,"
                        + " last_error ->> 'message' AS error_message, first_attempt_at FROM jobs WHERE job_id = ?")) {
            select.setObject(1, jobId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new JobSnapshot(
                        rows.getObject("job_id", UUID.class),
                        TenantId.of(rows.getString("tenant_id")),
                        Stage.fromWire(rows.getString("stage")),
                        rows.getString("resource_type"),
                        rows.getString("resource_id"),
                        rows.getString("idempotency_key"),
                        JobStatus.valueOf(rows.getString("status").toUpperCase(Locale.ROOT)),
                        rows.getInt("attempt"),
                        Jdbc.instant(rows, "next_run_at"),
                        Optional.ofNullable(rows.getString("lease_owner")),
                        Jdbc.optionalInstant(rows, "lease_until"),
                        Optional.ofNullable(rows.getString("error_code")).map(ErrorCode::valueOf),
                        Optional.ofNullable(rows.getString("error_message")),
                        Jdbc.optionalInstant(rows, "first_attempt_at")));
            }
        }
    }

    private static Job job(ResultSet rows) throws SQLException {
        return new Job(
                rows.getObject("job_id", UUID.class),
                TenantId.of(rows.getString("tenant_id")),
                Stage.fromWire(rows.getString("stage")),
                rows.getString("resource_type"),
                rows.getString("resource_id"),
                rows.getString("idempotency_key"),
                Jdbc.stringMap(rows, "payload_keys", "payload_values"),
                rows.getInt("attempt"),
                rows.getString("lease_owner"),
                Jdbc.instant(rows, "lease_until"),
                Jdbc.instant(rows, "created_at"),
                Jdbc.instant(rows, "next_run_at"));
    }

    private static LeaseRow leaseRow(ResultSet rows) throws SQLException {
        Instant createdAt = Jdbc.instant(rows, "created_at");
        return new LeaseRow(
                rows.getObject("job_id", UUID.class),
                TenantId.of(rows.getString("tenant_id")),
                Stage.fromWire(rows.getString("stage")),
                rows.getString("resource_type"),
                rows.getString("resource_id"),
                rows.getInt("attempt"),
                Jdbc.optionalInstant(rows, "first_attempt_at").orElse(createdAt));
    }

    private record Claimed(Job job, Instant nextRunAt) {}

    private record LeaseRow(
            UUID jobId,
            TenantId tenantId,
            Stage stage,
            String resourceType,
            String resourceId,
            int attempt,
            Instant firstAttemptAt) {}
}
