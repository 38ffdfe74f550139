package io.frostbyte.postgres;

import static io.frostbyte.postgres.PostgresJobQueueIT.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.job.JobHandler;
import io.frostbyte.core.job.JobStatus;
import io.frostbyte.core.job.Stage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerPoolIT {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestDatabase db;
    private static PostgresTenantRegistry registry;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(12);
        registry = new PostgresTenantRegistry(db.dataSource(), Clock.systemUTC());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void empty() {
        db.execute(
                "DELETE FROM dead_letters",
                "DELETE FROM jobs",
                "DELETE FROM tenant_keysets",
                "DELETE FROM tenants WHERE tenant_id <> '_platform'");
        registry.create(ACME, "Acme Corp", "ops@acme.example", "standard");
        registry.create(GLOBEX, "Globex", "ops@globex.example", "standard");
    }

    @Test
    void runs_every_job_once_to_completion() {
        PostgresJobQueue queue = new PostgresJobQueue(db.dataSource(), Clock.systemUTC(), Duration.ofSeconds(300), 4);
        Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        JobHandler handler = job -> {
            runs.computeIfAbsent(job.jobId(), id -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(5);
        };
        for (int i = 0; i < 60; i++) {
            queue.enqueue(
                    request(i % 2 == 0 ? ACME : GLOBEX, i % 3 == 0 ? Stage.PARSE : Stage.EMBED, "d" + i, "k" + i));
        }
        AtomicInteger observed = new AtomicInteger();

        try (WorkerPool pool = WorkerPool.start(
                queue,
                Map.of(Stage.PARSE, handler, Stage.EMBED, handler),
                settings("node-1").withThreads(8),
                (job, outcome, duration) -> {
                    if (outcome == WorkerPool.Outcome.COMPLETED) {
                        observed.incrementAndGet();
                    }
                })) {
            await().atMost(WAIT)
                    .until(() -> db.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed'") == 60);
            await().atMost(WAIT).until(() -> pool.finished() == 60);

            assertThat(pool.claimed()).isEqualTo(60);
            assertThat(pool.running()).isZero();
        }
        assertThat(runs).hasSize(60);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(observed).hasValue(60);
    }

    @Test
    void a_handler_that_completes_its_job_with_the_next_stage_in_one_transaction_is_reported_completed() {
        PostgresJobQueue queue = new PostgresJobQueue(db.dataSource(), Clock.systemUTC(), Duration.ofSeconds(300), 4);
        UUID parse = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "parse-1"));
        JobHandler handler = job -> db.database().inTransaction(tx -> {
            queue.enqueue(tx, request(job.tenantId(), Stage.POLICY, job.resourceId(), "policy-1"));
            return queue.complete(tx, job);
        });
        Map<UUID, WorkerPool.Outcome> outcomes = new ConcurrentHashMap<>();

        try (WorkerPool pool = WorkerPool.start(
                queue,
                Map.of(Stage.PARSE, handler),
                settings("node-1"),
                (job, outcome, duration) -> outcomes.put(job.jobId(), outcome))) {
            await().atMost(WAIT).until(() -> pool.finished() == 1);
        }

        assertThat(outcomes).containsExactly(Map.entry(parse, WorkerPool.Outcome.COMPLETED));
        assertThat(queue.find(ACME, parse).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(queue.queueDepth()).containsEntry(Stage.POLICY, 1L);
    }

    @Test
    void handler_failures_are_retried_or_dead_lettered_without_the_exception_message() {
        PostgresJobQueue queue = new PostgresJobQueue(db.dataSource(), Clock.systemUTC(), Duration.ofSeconds(300), 4);
        UUID crashing = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "crash"));
        UUID corrupt = queue.enqueue(request(ACME, Stage.POLICY, "doc_2", "corrupt"));
        JobHandler parse = job -> {
            throw new IllegalStateException("CANARY-7f3a document text leaked into a message");
        };
        JobHandler policy = job -> {
            throw new FrostbyteException(ErrorCode.FILE_CORRUPTED, "file is corrupted");
        };

        try (WorkerPool pool =
                WorkerPool.start(queue, Map.of(Stage.PARSE, parse, Stage.POLICY, policy), settings("node-1"))) {
            await().atMost(WAIT).until(() -> pool.finished() == 2);
        }

        JobSnapshot retried = queue.find(ACME, crashing).orElseThrow();
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.attempt()).isEqualTo(1);
        assertThat(retried.lastErrorCode()).contains(ErrorCode.INTERNAL_ERROR);
        assertThat(retried.lastErrorMessage()).contains("handler failed with java.lang.IllegalStateException");
        assertThat(db.queryLong("SELECT count(*) FROM jobs WHERE last_error::text LIKE '%CANARY%'"))
                .isZero();
        assertThat(queue.find(ACME, corrupt).orElseThrow().status()).isEqualTo(JobStatus.DEAD);
        DeadLetter entry = new PostgresDeadLetters(db.dataSource(), Clock.systemUTC())
                .list(DeadLetterFilter.ALL, 1, 10)
                .entries()
                .get(0);
        assertThat(entry.originalJobId()).isEqualTo(corrupt);
        assertThat(entry.errorCode()).isEqualTo(ErrorCode.FILE_CORRUPTED);
        assertThat(entry.errorMessage()).isEqualTo("file is corrupted");
    }

    @Test
    void graceful_shutdown_stops_claiming_and_waits_for_the_running_job() throws Exception {
        PostgresJobQueue queue = new PostgresJobQueue(db.dataSource(), Clock.systemUTC(), Duration.ofSeconds(300), 4);
        UUID running = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "slow"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandler slow = job -> {
            started.countDown();
            release.await();
        };
        WorkerPool pool = WorkerPool.start(queue, Map.of(Stage.PARSE, slow), settings("node-1"));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(() -> pool.shutdown(WAIT));
        await().atMost(WAIT).until(() -> !pool.accepting());
        UUID later = queue.enqueue(request(ACME, Stage.PARSE, "doc_2", "later"));
        Thread.sleep(300);
        assertThat(shutdown).isNotDone();
        assertThat(pool.running()).isEqualTo(1);

        release.countDown();
        assertThat(shutdown.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.find(ACME, running).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(queue.find(ACME, later).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(pool.claimed()).isEqualTo(1);
    }

    @Test
    void shutdown_gives_up_after_its_timeout_and_leaves_the_job_to_its_lease() throws Exception {
        PostgresJobQueue queue = new PostgresJobQueue(db.dataSource(), Clock.systemUTC(), Duration.ofSeconds(300), 4);
        UUID stuck = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "stuck"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = WorkerPool.start(
                queue,
                Map.of(Stage.PARSE, job -> {
                    started.countDown();
                    release.await();
                }),
                settings("node-1"));
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(pool.shutdown(Duration.ofMillis(200))).isFalse();

            JobSnapshot row = queue.find(ACME, stuck).orElseThrow();
            assertThat(row.status()).isEqualTo(JobStatus.PROCESSING);
            assertThat(row.leaseOwner()).contains("node-1");
        } finally {
            release.countDown();
        }
    }

    @Test
    void renews_the_lease_while_a_handler_runs() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:15:30Z"));
        PostgresJobQueue queue = new PostgresJobQueue(db.dataSource(), clock, Duration.ofSeconds(300), 4);
        UUID id = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "long"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = WorkerPool.start(
                queue,
                Map.of(Stage.PARSE, job -> {
                    started.countDown();
                    release.await();
                }),
                settings("node-1").withRenewInterval(Duration.ofMillis(50)))) {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(250));

            Instant expected = clock.instant().plusSeconds(300);
            await().atMost(WAIT)
                    .until(() -> queue.find(ACME, id)
                            .orElseThrow()
                            .leaseUntil()
                            .orElseThrow()
                            .equals(expected));
            clock.advance(Duration.ofSeconds(100)); // past the first lease, within the renewed one
            assertThat(queue.claim("node-2", 5, java.util.EnumSet.allOf(Stage.class)))
                    .isEmpty();
            release.countDown();
            await().atMost(WAIT).until(() -> pool.finished() == 1);
        }
        assertThat(queue.find(ACME, id).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    private static WorkerPool.Settings settings(String workerId) {
        return WorkerPool.Settings.defaults(workerId)
                .withPollInterval(Duration.ofMillis(50))
                .withShutdownTimeout(WAIT);
    }
}
