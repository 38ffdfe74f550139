package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.sign.SignatureValue;
import io.frostbyte.core.sign.Signer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs chain heads (spec/06 AUD-4). A chain is due when it has events after its last checkpoint (other than that
 * checkpoint's own AUDIT_CHECKPOINT event) and either {@code everyEvents} events were appended since, or
 * {@code everySeconds} passed since the last checkpoint (since the first event for a chain without one).
 *
 * <p>A checkpoint locks the chain head, signs {@code {tenant_id, seq, event_hash, time}} (JCS bytes), inserts it into
 * {@code audit_checkpoints} and appends an AUDIT_CHECKPOINT event ({@code checkpoint_seq},
 * {@code checkpoint_event_hash}, {@code key_id}, {@code signature}) to the same chain, all in one transaction.
 * Mirroring checkpoints to the object store or a sink is left to the caller (the returned checkpoints).
 *
 * <p>{@link #start} runs {@link #checkpointAll} on a virtual thread at a fixed interval until {@link #close}.
 * Thread-safe.
 */
public final class AuditCheckpointer implements AutoCloseable {
    public static final long DEFAULT_EVERY_EVENTS = 1000;
    public static final Duration DEFAULT_EVERY = Duration.ofSeconds(300);

    private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpointer.class);
    private static final String LAST_CHECKPOINT =
            "SELECT seq, time FROM audit_checkpoints WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1";
    private static final String FIRST_EVENT_TIME =
            "SELECT \"timestamp\" FROM audit_events WHERE tenant_id = ? AND seq = 1";
    private static final String CANDIDATES = """
            SELECT h.tenant_id, h.seq, c.seq
            FROM audit_chain_heads h
            LEFT JOIN LATERAL (
                SELECT seq FROM audit_checkpoints c WHERE c.tenant_id = h.tenant_id ORDER BY seq DESC LIMIT 1
            ) c ON true
            WHERE h.seq > 0
            ORDER BY h.tenant_id
            """;
    private static final String INSERT = "INSERT INTO audit_checkpoints (tenant_id, seq, event_hash, time, key_id,"
            + " signature) VALUES (?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;
    private final PostgresAuditLog log;
    private final Signer signer;
    private final Clock clock;
    private final long everyEvents;
    private final Duration every;
    private final Object lifecycle = new Object();
    private Thread runner;

    /** Checkpoints every {@value #DEFAULT_EVERY_EVENTS} events or 300 s. */
    public AuditCheckpointer(DataSource dataSource, PostgresAuditLog log, Signer signer, Clock clock) {
        this(dataSource, log, signer, clock, DEFAULT_EVERY_EVENTS, DEFAULT_EVERY);
    }

    /**
     * @param dataSource the application pool, for {@link #checkpointAll} and {@link #checkpointIfDue(TenantId)}
     * @param everyEvents {@code audit.checkpoint_every_events}, 1 or more
     * @param every {@code audit.checkpoint_every_seconds}, positive
     */
    public AuditCheckpointer(
            DataSource dataSource, PostgresAuditLog log, Signer signer, Clock clock, long everyEvents, Duration every) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.log = requireNonNull(log, "log is null");
        this.signer = requireNonNull(signer, "signer is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (everyEvents < 1) {
            throw new IllegalArgumentException("everyEvents must be >= 1: " + everyEvents);
        }
        requireNonNull(every, "every is null");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive: " + every);
        }
        this.everyEvents = everyEvents;
        this.every = every;
    }

    /** Checkpoints the chain in the caller's transaction (auto-commit off) if it is due. */
    public Optional<AuditCheckpoint> checkpointIfDue(Connection transaction, TenantId tenantId) {
        return checkpoint(transaction, tenantId, false);
    }

    /** Checkpoints the chain in its own transaction if it is due. */
    public Optional<AuditCheckpoint> checkpointIfDue(TenantId tenantId) {
        return AuditSql.inTransaction(dataSource, false, c -> checkpoint(c, tenantId, false));
    }

    /** Checkpoints the chain's head now, due or not, unless it is empty or its head is already checkpointed. */
    public Optional<AuditCheckpoint> checkpointNow(Connection transaction, TenantId tenantId) {
        return checkpoint(transaction, tenantId, true);
    }

    /** Checkpoints every due chain, each in its own transaction; a failing chain does not stop the others. */
    public List<AuditCheckpoint> checkpointAll() {
        List<TenantId> candidates = AuditSql.inTransaction(dataSource, true, c -> {
            List<TenantId> found = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(CANDIDATES);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long head = rows.getLong(2);
                    long last = rows.getLong(3);
                    if (head > (rows.wasNull() ? 0 : last + 1)) {
                        found.add(TenantId.of(rows.getString(1)));
                    }
                }
            }
            return found;
        });
        List<AuditCheckpoint> taken = new ArrayList<>();
        for (TenantId tenantId : candidates) {
            try {
                checkpointIfDue(tenantId).ifPresent(taken::add);
            } catch (RuntimeException e) {
                LOG.warn("audit checkpoint of chain {} failed ({})", tenantId, e.getMessage());
            }
        }
        return List.copyOf(taken);
    }

    /** When each chain's last checkpoint was taken (chains without one are absent). */
    public java.util.Map<TenantId, Instant> latestTimes() {
        return AuditSql.inTransaction(dataSource, true, c -> {
            java.util.Map<TenantId, Instant> times =
                    new java.util.TreeMap<>(java.util.Comparator.comparing(TenantId::value));
            try (Statement statement = c.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT tenant_id, max(time) FROM audit_checkpoints GROUP BY tenant_id")) {
                while (rows.next()) {
                    times.put(
                            TenantId.of(rows.getString(1)), rows.getTimestamp(2).toInstant());
                }
            }
            return times;
        });
    }

    /** Runs {@link #checkpointAll} every {@code interval} on a virtual thread until {@link #close}. */
    public void start(Duration interval) {
        requireNonNull(interval, "interval is null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        synchronized (lifecycle) {
            if (runner != null) {
                throw new IllegalStateException("checkpointer already started");
            }
            runner = Thread.ofVirtual().name("frostbyte-audit-checkpointer").start(() -> run(interval));
        }
    }

    /** Stops the background runner, waiting for a checkpoint in progress; idempotent. */
    @Override
    public void close() {
        Thread thread;
        synchronized (lifecycle) {
            thread = runner;
            runner = null;
        }
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                checkpointAll();
            } catch (RuntimeException e) {
                LOG.warn("audit checkpoint run failed ({})", e.getMessage());
            }
        }
    }

    private Optional<AuditCheckpoint> checkpoint(Connection transaction, TenantId tenantId, boolean force) {
        requireNonNull(transaction, "transaction is null");
        requireNonNull(tenantId, "tenantId is null");
        return AuditSql.onConnection(transaction, c -> {
            if (c.getAutoCommit()) {
                throw new IllegalStateException("checkpoints are taken inside a transaction: auto-commit must be off");
            }
            PostgresAuditLog.ChainHead head = PostgresAuditLog.lockHead(c, tenantId);
            if (head.seq() == 0) {
                return Optional.empty();
            }
            long lastSeq = 0;
            Instant since = null;
            try (PreparedStatement select = c.prepareStatement(LAST_CHECKPOINT)) {
                select.setString(1, tenantId.value());
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        lastSeq = rows.getLong(1);
                        since = AuditSql.instant(rows, 2);
                    }
                }
            }
            // the checkpoint's own AUDIT_CHECKPOINT event is not a new event
            boolean newEvents = head.seq() > (lastSeq == 0 ? 0 : lastSeq + 1);
            if (!newEvents) {
                return Optional.empty();
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (!force && head.seq() - lastSeq < everyEvents) {
                if (since == null) {
                    since = firstEventTime(c, tenantId);
                }
                if (since == null || Duration.between(since, now).compareTo(every) < 0) {
                    return Optional.empty();
                }
            }
            return Optional.of(take(c, head, now));
        });
    }

    private AuditCheckpoint take(Connection c, PostgresAuditLog.ChainHead head, Instant now) throws SQLException {
        byte[] signed = AuditCheckpoint.signedBytes(head.tenantId(), head.seq(), head.eventHash(), now);
        SignatureValue signature = signer.sign(signed);
        AuditCheckpoint checkpoint = new AuditCheckpoint(
                head.tenantId(), head.seq(), head.eventHash(), now, signature.keyId(), signature.value());
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setString(1, checkpoint.tenantId().value());
            insert.setLong(2, checkpoint.seq());
            insert.setString(3, checkpoint.eventHash());
            insert.setObject(4, AuditSql.timestamp(checkpoint.time()));
            insert.setString(5, checkpoint.keyId());
            insert.setString(6, checkpoint.signature());
            insert.executeUpdate();
        }
        TreeMap<String, Object> details = new TreeMap<>();
        details.put("component", "audit");
        details.put("status", "success");
        details.put("checkpoint_seq", checkpoint.seq());
        details.put("checkpoint_event_hash", checkpoint.eventHash());
        details.put("key_id", checkpoint.keyId());
        details.put("signature", checkpoint.signature());
        log.append(
                c,
                new AuditEventDraft(
                        head.tenantId(),
                        EventType.AUDIT_CHECKPOINT,
                        AuditEventDraft.SYSTEM,
                        "checkpoint",
                        head.tenantId().value() + ":" + head.seq(),
                        Optional.empty(),
                        details));
        return checkpoint;
    }

    private static Instant firstEventTime(Connection c, TenantId tenantId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(FIRST_EVENT_TIME)) {
            select.setString(1, tenantId.value());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? AuditSql.instant(rows, 1) : null;
            }
        }
    }
}
