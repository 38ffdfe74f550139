package io.frostbyte.postgres.audit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.sign.SignatureValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;
import javax.sql.DataSource;

/**
 * Verifies chains in the database (spec/06 AUD-5): {@code seq} contiguous, every {@code event_hash} recomputes, every
 * {@code prev_hash} matches the previous stored hash, every checkpoint's signature is valid and its hash equals the
 * stored hash at its {@code seq}, the chain head matches the last event (so deleted trailing events show as a gap),
 * and provenance continuity (an event with {@code input_hash} and {@code previous_event_id} has the predecessor's
 * {@code output_hash}). Every break is listed.
 *
 * <p>Events are streamed with a cursor in one read-only repeatable-read transaction (a consistent snapshot; memory
 * does not grow with the chain: at most a few thousand rows in flight, and the checkpoints, about one per thousand
 * events); hashes are recomputed in batches on a shared pool of daemon threads (one per core) while the next rows are
 * read. Thread-safe.
 */
public final class AuditVerifier {
    private static final int BATCH = 1024;
    private static final int FETCH = 4096;
    private static final int IN_FLIGHT = 8;
    private static final ExecutorService HASHERS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("frostbyte-audit-verify-", 0).daemon().factory());
    private static final String EVENTS = "SELECT event_id::text, tenant_id, seq, event_type,"
            + " (extract(epoch FROM \"timestamp\") * 1000)::bigint, actor,"
            + " resource_type, resource_id, previous_event_id::text, details::text, prev_hash, event_hash"
            + " FROM audit_events WHERE tenant_id = ? AND seq >= ? ORDER BY seq";
    private static final String PROVENANCE = """
            SELECT e.seq, e.details->>'input_hash', p.details->>'output_hash'
            FROM audit_events e
            LEFT JOIN audit_events p ON p.event_id = e.previous_event_id AND p.tenant_id = e.tenant_id
            WHERE e.tenant_id = ? AND e.seq >= ? AND e.previous_event_id IS NOT NULL
              AND e.details->>'input_hash' IS NOT NULL
              AND (p.details->>'output_hash') IS DISTINCT FROM (e.details->>'input_hash')
            ORDER BY e.seq
            """;

    private final DataSource dataSource;
    private final BiPredicate<byte[], SignatureValue> signatureCheck;

    /**
     * @param signatureCheck whether a signature over the bytes is the deployment audit key's (e.g. the audit
     *     {@code Signer::verify}, or a check on the published public key)
     */
    public AuditVerifier(DataSource dataSource, BiPredicate<byte[], SignatureValue> signatureCheck) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.signatureCheck = requireNonNull(signatureCheck, "signatureCheck is null");
    }

    /** Verifies the whole chain. */
    public AuditVerification verify(TenantId tenantId) {
        return verify(tenantId, 1);
    }

    /**
     * Verifies the chain from {@code fromSeq} on, anchored on the stored hash of {@code fromSeq - 1} (events before
     * are not checked).
     */
    public AuditVerification verify(TenantId tenantId, long fromSeq) {
        requireNonNull(tenantId, "tenantId is null");
        if (fromSeq < 1) {
            throw new IllegalArgumentException("fromSeq must be >= 1: " + fromSeq);
        }
        return AuditSql.inTransaction(dataSource, true, c -> verify(c, tenantId, fromSeq));
    }

    /** Verifies every chain (every tenant with a chain head or a checkpoint), in tenant order. */
    public List<AuditVerification> verifyAll() {
        return chains().stream().map(this::verify).toList();
    }

    /** The tenants with a chain: a chain head or a checkpoint, in tenant order. */
    public List<TenantId> chains() {
        return AuditSql.inTransaction(dataSource, true, c -> {
            List<TenantId> found = new ArrayList<>();
            try (Statement statement = c.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT tenant_id FROM audit_chain_heads UNION"
                            + " SELECT DISTINCT tenant_id FROM audit_checkpoints ORDER BY 1")) {
                while (rows.next()) {
                    found.add(TenantId.of(rows.getString(1)));
                }
            }
            return found;
        });
    }

    private AuditVerification verify(Connection c, TenantId tenantId, long fromSeq) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        String anchor = fromSeq == 1 ? AuditEvent.GENESIS_HASH : storedHash(c, tenantId, fromSeq - 1);
        ChainChecker checker =
                new ChainChecker(tenantId, fromSeq, anchor, checkpoints(c, tenantId, fromSeq), signatureCheck);
        try (PreparedStatement select = c.prepareStatement(EVENTS)) {
            select.setFetchSize(FETCH);
            select.setString(1, tenantId.value());
            select.setLong(2, fromSeq);
            try (ResultSet rows = select.executeQuery()) {
                // reading overlaps hashing: batches are hashed on a small pool and checked in order
                Deque<Batch> inFlight = new ArrayDeque<>();
                List<Row> batch = new ArrayList<>(BATCH);
                while (rows.next()) {
                    batch.add(Row.read(rows));
                    if (batch.size() == BATCH) {
                        inFlight.add(submit(batch));
                        batch = new ArrayList<>(BATCH);
                        if (inFlight.size() > IN_FLIGHT) {
                            check(inFlight.removeFirst(), checker);
                        }
                    }
                }
                inFlight.add(submit(batch));
                while (!inFlight.isEmpty()) {
                    check(inFlight.removeFirst(), checker);
                }
            }
        }
        checkHead(c, tenantId, checker);
        try (PreparedStatement select = c.prepareStatement(PROVENANCE)) {
            select.setString(1, tenantId.value());
            select.setLong(2, fromSeq);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String actual = rows.getString(3);
                    checker.add(new AuditBreak(
                            rows.getLong(1),
                            AuditBreak.Kind.PROVENANCE,
                            rows.getString(2),
                            actual == null ? "missing" : actual));
                }
            }
        }
        return checker.finish();
    }

    private record Batch(List<Row> rows, Future<String[]> hashes) {}

    private static Batch submit(List<Row> rows) {
        return new Batch(rows, HASHERS.submit(() -> {
            String[] hashes = new String[rows.size()];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = rows.get(i).recompute();
            }
            return hashes;
        }));
    }

    private static void check(Batch batch, ChainChecker checker) throws SQLException {
        String[] recomputed;
        try {
            recomputed = batch.hashes().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while verifying", "57014", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed", e.getCause());
        }
        for (int i = 0; i < recomputed.length; i++) {
            Row row = batch.rows().get(i);
            checker.accept(row.seq, row.prevHash, row.eventHash, recomputed[i]);
        }
    }

    /** Events deleted at the end of the chain leave the head ahead of the last event. */
    private static void checkHead(Connection c, TenantId tenantId, ChainChecker checker) throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement("SELECT seq, event_hash FROM audit_chain_heads WHERE tenant_id = ?")) {
            select.setString(1, tenantId.value());
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return;
                }
                long headSeq = rows.getLong(1);
                String headHash = rows.getString(2);
                if (headSeq > checker.lastSeq()) {
                    checker.add(new AuditBreak(
                            checker.lastSeq() + 1,
                            AuditBreak.Kind.SEQ_GAP,
                            Long.toString(headSeq),
                            Long.toString(checker.lastSeq())));
                } else if (headSeq == checker.lastSeq() && !headHash.equals(checker.lastHash())) {
                    checker.add(new AuditBreak(
                            headSeq,
                            AuditBreak.Kind.EVENT_HASH,
                            headHash,
                            checker.lastHash() == null ? "missing" : checker.lastHash()));
                }
            }
        }
    }

    private static String storedHash(Connection c, TenantId tenantId, long seq) throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement("SELECT event_hash FROM audit_events WHERE tenant_id = ? AND seq = ?")) {
            select.setString(1, tenantId.value());
            select.setLong(2, seq);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    static NavigableMap<Long, AuditCheckpoint> checkpoints(Connection c, TenantId tenantId, long fromSeq)
            throws SQLException {
        NavigableMap<Long, AuditCheckpoint> checkpoints = new TreeMap<>();
        try (PreparedStatement select = c.prepareStatement("SELECT seq, event_hash, time, key_id, signature"
                + " FROM audit_checkpoints WHERE tenant_id = ? AND seq >= ? ORDER BY seq")) {
            select.setString(1, tenantId.value());
            select.setLong(2, fromSeq);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    checkpoints.put(
                            rows.getLong(1),
                            new AuditCheckpoint(
                                    tenantId,
                                    rows.getLong(1),
                                    rows.getString(2),
                                    AuditSql.instant(rows, 3),
                                    rows.getString(4),
                                    rows.getString(5)));
                }
            }
        }
        return checkpoints;
    }

    /** One stored event, as columns. */
    private record Row(
            String eventId,
            String tenantId,
            long seq,
            String eventType,
            long timestampMillis,
            String actor,
            String resourceType,
            String resourceId,
            String previousEventId,
            String details,
            String prevHash,
            String eventHash) {
        static Row read(ResultSet rows) throws SQLException {
            return new Row(
                    rows.getString(1),
                    rows.getString(2),
                    rows.getLong(3),
                    rows.getString(4),
                    rows.getLong(5),
                    rows.getString(6),
                    rows.getString(7),
                    rows.getString(8),
                    rows.getString(9),
                    rows.getString(10),
                    rows.getString(11),
                    rows.getString(12));
        }

        String recompute() {
            try {
                return AuditEventJson.eventHashOfColumns(
                        eventId,
                        tenantId,
                        seq,
                        eventType,
                        AuditEventJson.formatEpochMillis(timestampMillis),
                        actor,
                        resourceType,
                        resourceId,
                        previousEventId,
                        details,
                        prevHash);
            } catch (RuntimeException e) {
                return "unhashable";
            }
        }
    }
}
