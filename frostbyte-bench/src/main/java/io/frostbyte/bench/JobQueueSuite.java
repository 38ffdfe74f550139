package io.frostbyte.bench;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.Stage;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.EmbeddedPostgresServer;
import io.frostbyte.postgres.PostgresJobQueue;
import io.frostbyte.postgres.PostgresTenantRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The job queue against plain SQL on the same embedded PostgreSQL: enqueue against a bare INSERT of the same columns,
 * claim+complete against the textbook {@code SELECT ... FOR UPDATE SKIP LOCKED} + UPDATE. The ratio is the cost of
 * idempotency keys, tenant-state checks, per-tenant concurrency caps and leases.
 */
final class JobQueueSuite implements BenchSuite {
    private static final int TENANTS = 4;

    @Override
    public String name() {
        return "jobqueue";
    }

    @Override
    public String description() {
        return "job queue enqueue and claim+complete rates vs plain INSERT and SELECT FOR UPDATE SKIP LOCKED";
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        int jobs = options.scaled(2000);
        try (EmbeddedPostgresServer server =
                        EmbeddedPostgresServer.start(options.workDir().resolve("pg"), 0, true);
                Database database = Database.embedded(server, 8)) {
            database.migrate();
            PostgresTenantRegistry registry = new PostgresTenantRegistry(database.dataSource(), Clock.systemUTC());
            List<TenantId> tenants = new ArrayList<>();
            for (int t = 0; t < TENANTS; t++) {
                TenantId tenant = TenantId.of("bench-tenant-" + t);
                registry.create(tenant, "Bench " + t, "ops@example.com", "standard");
                tenants.add(tenant);
            }
            PostgresJobQueue queue =
                    new PostgresJobQueue(database.dataSource(), Clock.systemUTC(), Duration.ofMinutes(5), 1_000_000);
            createPlainTable(database);

            // warm-up of both paths so the first measured run does not pay for plans and JIT
            enqueueFrostbyte(queue, tenants, 200, "warm");
            drainFrostbyte(queue, 200);
            enqueuePlain(database, tenants, 200);
            drainPlain(database, 200);

            double plainEnqueue = rate(jobs, () -> enqueuePlain(database, tenants, jobs));
            double frostbyteEnqueue = rate(jobs, () -> enqueueFrostbyte(queue, tenants, jobs, "run"));
            double plainClaim = rate(jobs, () -> drainPlain(database, jobs));
            double frostbyteClaim = rate(jobs, () -> drainFrostbyte(queue, jobs));

            return List.of(
                    new Figure(
                            name(),
                            "enqueue (1 per tx)",
                            "jobs/s",
                            frostbyteEnqueue,
                            "plain INSERT (1 per tx)",
                            plainEnqueue,
                            true),
                    new Figure(
                            name(),
                            "claim+complete (1 per tx)",
                            "jobs/s",
                            frostbyteClaim,
                            "SELECT FOR UPDATE SKIP LOCKED+UPDATE",
                            plainClaim,
                            true));
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

    private static void enqueueFrostbyte(PostgresJobQueue queue, List<TenantId> tenants, int count, String prefix) {
        for (int i = 0; i < count; i++) {
            TenantId tenant = tenants.get(i % tenants.size());
            queue.enqueue(new JobRequest(
                    tenant,
                    Stage.PARSE,
                    "document",
                    "doc_" + i,
                    prefix + "-" + UUID.randomUUID(),
                    Map.of("receipt_id", "r" + i)));
        }
    }

    private static void drainFrostbyte(PostgresJobQueue queue, int count) {
        int done = 0;
        while (done < count) {
            List<Job> claimed = queue.claim("bench-worker", 1, EnumSet.of(Stage.PARSE));
            if (claimed.isEmpty()) {
                throw new IllegalStateException("queue ran dry after " + done + " jobs");
            }
            for (Job job : claimed) {
                queue.complete(job);
                done++;
            }
        }
    }

    private static void createPlainTable(Database database) throws SQLException {
        try (Connection c = database.adminDataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE bench_plain (
                        id uuid PRIMARY KEY, tenant_id text NOT NULL, stage text NOT NULL, resource_type text NOT NULL,
                        resource_id text NOT NULL, idempotency_key text NOT NULL, payload jsonb NOT NULL,
                        status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())""");
            s.execute("CREATE INDEX bench_plain_queued ON bench_plain (created_at) WHERE status = 'queued'");
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON bench_plain TO frostbyte_app");
        }
    }

    private static void enqueuePlain(Database database, List<TenantId> tenants, int count) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO bench_plain (id, tenant_id, stage, resource_type, resource_id, idempotency_key, payload, status)"
                                + " VALUES (?, ?, 'parse', 'document', ?, ?, ?::jsonb, 'queued')")) {
            c.setAutoCommit(true);
            for (int i = 0; i < count; i++) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, tenants.get(i % tenants.size()).value());
                insert.setString(3, "doc_" + i);
                insert.setString(4, UUID.randomUUID().toString());
                insert.setString(5, "{\"receipt_id\":\"r" + i + "\"}");
                insert.executeUpdate();
            }
        }
    }

    private static void drainPlain(Database database, int count) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement claim = c.prepareStatement(
                        "SELECT id FROM bench_plain WHERE status = 'queued' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED");
                PreparedStatement complete =
                        c.prepareStatement("UPDATE bench_plain SET status = 'done' WHERE id = ?")) {
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                UUID id;
                try (var rs = claim.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("plain queue ran dry after " + i);
                    }
                    id = rs.getObject(1, UUID.class);
                }
                c.commit();
                complete.setObject(1, id);
                complete.executeUpdate();
                c.commit();
            }
        }
    }
}
