package io.frostbyte.bench;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.EmbeddedPostgresServer;
import io.frostbyte.postgres.PostgresTenantRegistry;
import io.frostbyte.postgres.audit.AuditVerifier;
import io.frostbyte.postgres.audit.PostgresAuditLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Audit appends (hash-chained, one chain, one event per transaction) with 1 and 8 writers and batched, against plain
 * INSERTs of the same columns into an unchained table in the same run; verification against reading the same rows.
 */
final class AuditSuite implements BenchSuite {
    private static final TenantId TENANT = TenantId.of("bench-audit");

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String description() {
        return "audit appends (1 and 8 writers, batched) vs plain INSERT; chain verification vs plain read";
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        int events = options.scaled(4000);
        try (EmbeddedPostgresServer server =
                        EmbeddedPostgresServer.start(options.workDir().resolve("pg"), 0, true);
                Database database = Database.embedded(server, 12)) {
            database.migrate();
            PostgresTenantRegistry registry = new PostgresTenantRegistry(database.dataSource(), Clock.systemUTC());
            registry.create(TENANT, "Bench", "ops@example.com", "standard");
            for (int t = 0; t < 8; t++) {
                registry.create(TenantId.of("bench-chain-" + t), "Bench " + t, "ops@example.com", "standard");
            }
            PostgresAuditLog log = new PostgresAuditLog(Clock.systemUTC());
            createPlainTable(database);

            append(database, log, 200, 1);
            plain(database, 200, 1);

            double plainOne = rate(events, () -> plain(database, events, 1));
            double chainedOne = rate(events, () -> append(database, log, events, 1));
            double plainEight = rate(events, () -> plain(database, events, 8));
            double chainedEight = rate(events, () -> append(database, log, events, 8));
            double chainedEightChains = rate(events, () -> appendToEightChains(database, log, events));
            double plainBatch = rate(events * 5, () -> plainBatched(database, events * 5, 100));
            double chainedBatch = rate(events * 5, () -> appendBatched(database, log, events * 5, 100));

            long total;
            try (Connection c = database.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery(
                            "SELECT count(*) FROM audit_events WHERE tenant_id = '" + TENANT.value() + "'")) {
                rows.next();
                total = rows.getLong(1);
            }
            AuditVerifier verifier = new AuditVerifier(database.dataSource(), (message, signature) -> true);
            double read = rate((int) total, () -> readAll(database));
            double verified = rate((int) total, () -> {
                var result = verifier.verify(TENANT);
                if (!result.hashChainValid()) {
                    throw new IllegalStateException("bench chain does not verify: " + result.breaks());
                }
            });

            return List.of(
                    new Figure(
                            name(),
                            "append, 1 writer",
                            "events/s",
                            chainedOne,
                            "plain INSERT, 1 writer",
                            plainOne,
                            true),
                    new Figure(
                            name(),
                            "append, 8 writers, 1 chain",
                            "events/s",
                            chainedEight,
                            "plain INSERT, 8 writers",
                            plainEight,
                            true),
                    new Figure(
                            name(),
                            "append, 8 writers, 8 chains",
                            "events/s",
                            chainedEightChains,
                            "plain INSERT, 8 writers",
                            plainEight,
                            true),
                    new Figure(
                            name(),
                            "appendAll, 100 per tx",
                            "events/s",
                            chainedBatch,
                            "plain INSERT, 100 per tx",
                            plainBatch,
                            true),
                    new Figure(name(), "verify chain", "events/s", verified, "SELECT the same rows", read, true));
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double rate(int operations, Work work) throws Exception {
        long started = System.nanoTime();
        work.run();
        return operations / ((System.nanoTime() - started) / 1e9);
    }

    private static AuditEventDraft draft(int i) {
        Map<String, Object> details = new TreeMap<>();
        details.put("component", "intake");
        details.put("status", "success");
        details.put("duration_ms", 12L + i % 7);
        details.put("sha256", "470c315a04a9db7d9f322567a9782164433432df8f30a07298ed7ebb7dfea0cb");
        return new AuditEventDraft(
                TENANT,
                EventType.DOCUMENT_INGESTED,
                AuditEventDraft.SYSTEM,
                "file",
                UUID.randomUUID().toString(),
                Optional.empty(),
                new TreeMap<>(details));
    }

    private static void parallel(int writers, int total, Work perEvent) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int share = total / writers + (w < total % writers ? 1 : 0);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        perEvent.run();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void append(Database database, PostgresAuditLog log, int count, int writers) throws Exception {
        parallel(writers, count, () -> database.inTransaction(tx -> log.append(tx, draft(0))));
    }

    private static void appendToEightChains(Database database, PostgresAuditLog log, int count) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        ThreadLocal<TenantId> chain =
                ThreadLocal.withInitial(() -> TenantId.of("bench-chain-" + next.getAndIncrement() % 8));
        parallel(8, count, () -> database.inTransaction(tx -> log.append(tx, draftFor(chain.get()))));
    }

    private static AuditEventDraft draftFor(TenantId tenant) {
        AuditEventDraft base = draft(0);
        return new AuditEventDraft(
                tenant,
                base.eventType(),
                base.actor(),
                base.resourceType(),
                base.resourceId(),
                base.previousEventId(),
                base.details());
    }

    private static void appendBatched(Database database, PostgresAuditLog log, int count, int batch) {
        for (int done = 0; done < count; done += batch) {
            List<AuditEventDraft> drafts = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                drafts.add(draft(i));
            }
            database.inTransaction(tx -> log.appendAll(tx, drafts));
        }
    }

    private static void createPlainTable(Database database) throws Exception {
        try (Connection c = database.adminDataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE bench_plain_events (
                        event_id uuid PRIMARY KEY, tenant_id text NOT NULL, event_type text NOT NULL,
                        "timestamp" timestamptz NOT NULL, actor text NOT NULL, resource_type text NOT NULL,
                        resource_id text NOT NULL, details jsonb NOT NULL)""");
            s.execute("GRANT SELECT, INSERT ON bench_plain_events TO frostbyte_app");
        }
    }

    private static final String PLAIN_INSERT =
            "INSERT INTO bench_plain_events VALUES (?, ?, 'DOCUMENT_INGESTED', now(), 'system', 'file', ?, ?::jsonb)";
    private static final String DETAILS =
            "{\"component\":\"intake\",\"duration_ms\":12,\"sha256\":\"470c315a04a9db7d9f322567a9782164433432df8f30a07298ed7ebb7dfea0cb\",\"status\":\"success\"}";

    private static void plain(Database database, int count, int writers) throws Exception {
        parallel(
                writers,
                count,
                () -> database.inTransaction(tx -> {
                    try (PreparedStatement insert = tx.prepareStatement(PLAIN_INSERT)) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, TENANT.value());
                        insert.setString(3, UUID.randomUUID().toString());
                        insert.setString(4, DETAILS);
                        return insert.executeUpdate();
                    }
                }));
    }

    private static void plainBatched(Database database, int count, int batch) {
        for (int done = 0; done < count; done += batch) {
            database.inTransaction(tx -> {
                try (PreparedStatement insert = tx.prepareStatement(PLAIN_INSERT)) {
                    for (int i = 0; i < batch; i++) {
                        insert.setObject(1, UUID.randomUUID());
                        insert.setString(2, TENANT.value());
                        insert.setString(3, UUID.randomUUID().toString());
                        insert.setString(4, DETAILS);
                        insert.addBatch();
                    }
                    return insert.executeBatch();
                }
            });
        }
    }

    private static void readAll(Database database) throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement select =
                    c.prepareStatement("SELECT * FROM audit_events WHERE tenant_id = ? ORDER BY seq")) {
                select.setFetchSize(2000);
                select.setString(1, TENANT.value());
                long bytes = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        bytes += rows.getString("details").length()
                                + rows.getString("event_hash").length();
                    }
                }
                if (bytes == 0) {
                    throw new IllegalStateException("nothing read");
                }
            }
            c.commit();
        }
    }
}
