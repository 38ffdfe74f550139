package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobRequest;
import io.frostbyte.core.job.JobStatus;
import io.frostbyte.core.job.Stage;
import io.frostbyte.core.tenant.TenantState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresJobQueueIT {
    private static final Instant T0 = Instant.parse("2026-03-02T10:15:30Z");
    private static final Duration LEASE = Duration.ofSeconds(300);
    private static final Set<Stage> ALL = EnumSet.allOf(Stage.class);
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private static TestDatabase db;
    private static PostgresTenantRegistry registry;
    private static MutableClock clock;
    private static PostgresJobQueue queue;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(10);
        clock = new MutableClock(T0);
        registry = new PostgresTenantRegistry(db.dataSource(), clock);
        queue = new PostgresJobQueue(db.dataSource(), clock, LEASE, 4);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void emptyQueue() {
        clock.set(T0);
        db.execute(
                "DELETE FROM dead_letters",
                "DELETE FROM jobs",
                "DELETE FROM tenant_keysets",
                "DELETE FROM tenants WHERE tenant_id <> '_platform'");
        registry.create(ACME, "Acme Corp", "ops@acme.example", "standard");
        registry.create(GLOBEX, "Globex", "ops@globex.example", "standard");
    }

    @Test
    void enqueueing_the_same_key_twice_returns_the_first_job_and_adds_no_row() {
        UUID first = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        UUID second = queue.enqueue(
                new JobRequest(ACME, Stage.PARSE, "document", "doc_other", "key-1", Map.of("other", "payload")));
        UUID otherStage = queue.enqueue(request(ACME, Stage.POLICY, "doc_1", "key-1"));

        assertThat(second).isEqualTo(first);
        assertThat(otherStage).isNotEqualTo(first);
        assertThat(db.queryLong("SELECT count(*) FROM jobs")).isEqualTo(2);
        assertThat(queue.find(ACME, first).orElseThrow().resourceId()).isEqualTo("doc_1");
    }

    @Test
    void enqueueing_a_completed_jobs_key_again_returns_that_job_without_requeueing_it() {
        UUID id = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        assertThat(queue.complete(claimOne("w1"))).isTrue();

        assertThat(queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"))).isEqualTo(id);
        assertThat(queue.find(ACME, id).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(queue.claim("w1", 10, ALL)).isEmpty();
    }

    @Test
    void an_enqueue_in_a_rolled_back_transaction_leaves_no_job() {
        assertThatThrownBy(() -> db.database().inTransaction(tx -> {
                    queue.enqueue(tx, request(ACME, Stage.PARSE, "doc_1", "key-1"));
                    queue.enqueue(tx, request(ACME, Stage.PARSE, "doc_1", "key-1"));
                    throw new IllegalStateException("receipt write failed");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(db.queryLong("SELECT count(*) FROM jobs")).isZero();
        UUID committed = db.database().inTransaction(tx -> queue.enqueue(tx, request(ACME, Stage.PARSE, "d", "k")));
        assertThat(queue.find(ACME, committed)).isPresent();
    }

    @Test
    void the_same_key_for_two_tenants_gives_each_its_own_job() {
        UUID acmeJob = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "same-bytes-same-config"));
        UUID globexJob = queue.enqueue(request(GLOBEX, Stage.PARSE, "doc_9", "same-bytes-same-config"));

        assertThat(globexJob).isNotEqualTo(acmeJob);
        assertThat(queue.enqueue(request(GLOBEX, Stage.PARSE, "doc_9", "same-bytes-same-config")))
                .isEqualTo(globexJob);
        assertThat(queue.find(GLOBEX, acmeJob)).isEmpty();
        assertThat(queue.find(ACME, globexJob)).isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM jobs")).isEqualTo(2);
    }

    @Test
    void refuses_a_job_for_an_unregistered_tenant() {
        assertThatThrownBy(() -> queue.enqueue(request(TenantId.of("nobody-here"), Stage.PARSE, "d", "k")))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
    }

    @Test
    void the_schema_accepts_every_stage() {
        for (Stage stage : Stage.values()) {
            queue.enqueue(request(ACME, stage, "r", "k-" + stage.wire()));
        }

        assertThat(queue.queueDepth())
                .containsOnlyKeys(Stage.values())
                .allSatisfy((stage, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void a_claim_leases_the_job_and_hands_over_its_payload() {
        UUID id = queue.enqueue(new JobRequest(
                ACME, Stage.PARSE, "document", "doc_1", "key-1", Map.of("receipt_id", "r-1", "batch_id", "b-1")));

        List<Job> jobs = queue.claim("worker-a", 5, ALL);

        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo(id);
            assertThat(job.tenantId()).isEqualTo(ACME);
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.leaseOwner()).isEqualTo("worker-a");
            assertThat(job.leaseUntil()).isEqualTo(T0.plus(LEASE));
            assertThat(job.payload()).containsExactly(Map.entry("batch_id", "b-1"), Map.entry("receipt_id", "r-1"));
            assertThat(job.createdAt()).isEqualTo(T0);
        });
        JobSnapshot row = queue.find(ACME, id).orElseThrow();
        assertThat(row.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(row.firstAttemptAt()).contains(T0);
        assertThat(queue.claim("worker-b", 5, ALL)).isEmpty();
    }

    @Test
    void a_next_stage_due_since_its_predecessor_is_claimed_before_documents_enqueued_after_it() {
        queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "p1"));
        clock.advance(Duration.ofSeconds(1));
        UUID secondParse = queue.enqueue(request(ACME, Stage.PARSE, "doc_2", "p2"));
        Job firstParse = queue.claim("worker-a", 1, ALL).getFirst();
        clock.advance(Duration.ofSeconds(5));

        UUID policy = queue.enqueue(new JobRequest(
                ACME, Stage.POLICY, "document", "doc_1", "pol1", Map.of(), Optional.of(firstParse.dueAt())));
        UUID laterParse = queue.enqueue(request(ACME, Stage.PARSE, "doc_3", "p3"));
        queue.complete(firstParse);

        List<Job> next = queue.claim("worker-a", 3, ALL);

        assertThat(firstParse.dueAt()).isEqualTo(T0);
        assertThat(next).extracting(Job::jobId).containsExactly(policy, secondParse, laterParse);
        assertThat(next.getFirst().dueAt()).isEqualTo(T0);
        assertThat(next.getFirst().createdAt()).isEqualTo(T0.plusSeconds(6));
    }

    @Test
    void a_due_since_in_the_future_is_due_now() {
        UUID id = queue.enqueue(new JobRequest(
                ACME, Stage.PARSE, "document", "doc_1", "p1", Map.of(), Optional.of(T0.plusSeconds(60))));

        assertThat(queue.claim("worker-a", 1, ALL)).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo(id);
            assertThat(job.dueAt()).isEqualTo(T0);
        });
    }

    @Test
    void claims_only_the_requested_stages() {
        queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "p1"));
        UUID embed = queue.enqueue(request(ACME, Stage.EMBED, "doc_1", "e1"));

        assertThat(queue.claim("embedder", 10, EnumSet.of(Stage.EMBED, Stage.INDEX)))
                .extracting(Job::jobId)
                .containsExactly(embed);
    }

    @Test
    void concurrent_workers_never_run_a_job_twice_and_complete_every_job_once() throws Exception {
        int jobs = 500;
        for (int i = 0; i < jobs; i++) {
            queue.enqueue(request(i % 2 == 0 ? ACME : GLOBEX, Stage.values()[i % 4], "doc_" + i, "key-" + i));
        }
        Map<UUID, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<TenantId, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String workerId = "worker-" + w;
                loops.add(workers.submit(() -> {
                    int idle = 0;
                    while (idle < 3) {
                        List<Job> claimed = queue.claim(workerId, 3, ALL);
                        if (claimed.isEmpty()) {
                            idle++;
                            Thread.sleep(20);
                            continue;
                        }
                        idle = 0;
                        for (Job job : claimed) {
                            int now = inFlight.computeIfAbsent(job.tenantId(), t -> new AtomicInteger())
                                    .incrementAndGet();
                            maxInFlight.accumulateAndGet(now, Math::max);
                        }
                        for (Job job : claimed) {
                            runs.computeIfAbsent(job.jobId(), id -> new AtomicInteger())
                                    .incrementAndGet();
                            inFlight.get(job.tenantId()).decrementAndGet();
                            if (!queue.complete(job)) {
                                refused.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get();
            }
        } finally {
            workers.shutdownNow();
        }

        assertThat(runs).hasSize(jobs);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(refused).hasValue(0);
        assertThat(maxInFlight.get()).isBetween(1, 4);
        assertThat(db.queryLong("SELECT count(*) FROM jobs WHERE status = 'completed' AND attempt = 1"))
                .isEqualTo(jobs);
    }

    @Test
    void a_killed_workers_job_is_claimed_again_with_attempt_2_once_its_lease_expired() {
        UUID id = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        Job lost = claimOne("worker-killed");

        clock.set(lost.leaseUntil());
        assertThat(queue.claim("worker-b", 5, ALL)).isEmpty();
        clock.set(lost.leaseUntil().plusMillis(1));
        Job again = claimOne("worker-b");

        assertThat(again.jobId()).isEqualTo(id);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.leaseOwner()).isEqualTo("worker-b");
        assertThat(queue.find(ACME, id).orElseThrow().firstAttemptAt()).contains(T0);
    }

    @Test
    void a_stale_lease_owner_can_neither_complete_nor_renew_nor_fail() {
        UUID id = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        Job stale = claimOne("worker-a");
        clock.advance(LEASE.plusSeconds(1));
        Job current = claimOne("worker-b");

        assertThat(queue.complete(stale)).isFalse();
        assertThatThrownBy(() -> queue.renewLease(stale))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
        assertThat(queue.fail(stale, ErrorCode.PARSER_ERROR, "parser failed")).isEqualTo(new FailOutcome.LeaseLost());
        JobSnapshot row = queue.find(ACME, id).orElseThrow();
        assertThat(row.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(row.leaseOwner()).contains("worker-b");
        assertThat(row.lastErrorCode()).isEmpty();

        assertThat(queue.complete(current)).isTrue();
        assertThat(queue.complete(current)).isTrue();
        assertThat(queue.find(ACME, id).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void
            a_job_completed_in_the_callers_transaction_completes_again_as_a_no_op_and_a_rolled_back_one_stays_processing() {
        UUID id = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        Job job = claimOne("worker-a");

        assertThatThrownBy(() -> db.database().inTransaction(tx -> {
                    assertThat(queue.complete(tx, job)).isTrue();
                    throw new IllegalStateException("the stage's outputs failed to commit");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(queue.find(ACME, id).orElseThrow().status()).isEqualTo(JobStatus.PROCESSING);

        boolean twice = db.database().inTransaction(tx -> queue.complete(tx, job) && queue.complete(tx, job));
        assertThat(twice).isTrue();
        assertThat(queue.complete(job)).isTrue();
        JobSnapshot row = queue.find(ACME, id).orElseThrow();
        assertThat(row.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(row.attempt()).isEqualTo(1);
    }

    @Test
    void a_renewed_lease_keeps_other_workers_away_past_the_first_lease() {
        queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        Job job = claimOne("worker-a");

        clock.advance(Duration.ofSeconds(200));
        Job renewed = queue.renewLease(job);
        clock.advance(Duration.ofSeconds(200));

        assertThat(renewed.leaseUntil()).isEqualTo(T0.plusSeconds(500));
        assertThat(queue.claim("worker-b", 5, ALL)).isEmpty();
        assertThat(queue.complete(renewed)).isTrue();
    }

    @Test
    void parse_retries_after_10_60_and_300_seconds_then_dead_letters() {
        UUID id = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        Job job = claimOne("w");
        List<Duration> backoffs = List.of(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300));

        for (int attempt = 1; attempt <= 3; attempt++) {
            clock.advance(Duration.ofSeconds(2));
            Instant failedAt = clock.instant();
            FailOutcome outcome = queue.fail(job, ErrorCode.PARSER_ERROR, "parser failed");

            Instant due = failedAt.plus(backoffs.get(attempt - 1));
            assertThat(outcome).isEqualTo(new FailOutcome.Retried(due));
            clock.set(due.minusMillis(1));
            assertThat(queue.claim("w", 5, ALL)).isEmpty();
            clock.set(due);
            job = claimOne("w");
            assertThat(job.attempt()).isEqualTo(attempt + 1);
        }
        Instant lastFailure = clock.instant();
        FailOutcome last = queue.fail(job, ErrorCode.PARSER_ERROR, "parser failed");

        assertThat(last).isInstanceOf(FailOutcome.DeadLettered.class);
        DeadLetter entry = onlyDeadLetter();
        assertThat(entry.dlqEntryId()).isEqualTo(((FailOutcome.DeadLettered) last).deadLetterId());
        assertThat(entry.originalJobId()).isEqualTo(id);
        assertThat(entry.tenantId()).isEqualTo(ACME);
        assertThat(entry.stage()).isEqualTo(Stage.PARSE);
        assertThat(entry.resourceType()).isEqualTo("document");
        assertThat(entry.resourceId()).isEqualTo("doc_1");
        assertThat(entry.firstAttemptAt()).isEqualTo(T0);
        assertThat(entry.lastAttemptAt()).isEqualTo(lastFailure);
        assertThat(entry.retryCount()).isEqualTo(3);
        assertThat(entry.errorCode()).isEqualTo(ErrorCode.PARSER_ERROR);
        assertThat(entry.errorMessage()).isEqualTo("parser failed");
        assertThat(entry.stackTraceHash()).matches("[0-9a-f]{16}");
        assertThat(entry.status()).isEqualTo(DeadLetterStatus.PENDING_REVIEW);
        assertThat(entry.resolution()).isEmpty();
        JobSnapshot row = queue.find(ACME, id).orElseThrow();
        assertThat(row.status()).isEqualTo(JobStatus.DEAD);
        assertThat(row.attempt()).isEqualTo(4);
        assertThat(row.lastErrorCode()).contains(ErrorCode.PARSER_ERROR);
        assertThat(queue.deadLetterDepth()).containsEntry(Stage.PARSE, 1L).containsEntry(Stage.POLICY, 0L);
        clock.advance(Duration.ofDays(1));
        assertThat(queue.claim("w", 5, ALL)).isEmpty();
    }

    @Test
    void policy_retries_twice_30_seconds_apart_then_dead_letters() {
        queue.enqueue(request(ACME, Stage.POLICY, "doc_1", "key-1"));
        Job job = claimOne("w");

        for (int attempt = 1; attempt <= 2; attempt++) {
            FailOutcome outcome = queue.fail(job, ErrorCode.DETECTOR_ERROR, "detector failed");
            assertThat(outcome)
                    .isEqualTo(new FailOutcome.Retried(clock.instant().plusSeconds(30)));
            clock.advance(Duration.ofSeconds(30).minusMillis(1));
            assertThat(queue.claim("w", 5, ALL)).isEmpty();
            clock.advance(Duration.ofMillis(1));
            job = claimOne("w");
        }

        assertThat(job.attempt()).isEqualTo(3);
        assertThat(queue.fail(job, ErrorCode.DETECTOR_ERROR, "detector failed"))
                .isInstanceOf(FailOutcome.DeadLettered.class);
        assertThat(onlyDeadLetter().retryCount()).isEqualTo(2);
    }

    @Test
    void a_non_retriable_code_dead_letters_on_the_first_attempt_with_the_given_stack_hash() {
        UUID id = queue.enqueue(request(ACME, Stage.EMBED, "doc_1", "key-1"));
        Job job = claimOne("w");
        IllegalStateException cause = new IllegalStateException("vector had 768 dimensions");

        FailOutcome outcome = queue.fail(
                job, JobFailure.of(ErrorCode.DIMENSION_MISMATCH, "embedding dimension 768, expected 384", cause));

        assertThat(outcome).isInstanceOf(FailOutcome.DeadLettered.class);
        DeadLetter entry = onlyDeadLetter();
        assertThat(entry.originalJobId()).isEqualTo(id);
        assertThat(entry.retryCount()).isZero();
        assertThat(entry.errorCode()).isEqualTo(ErrorCode.DIMENSION_MISMATCH);
        assertThat(entry.stackTraceHash()).isEqualTo(StackTraceHash.of(cause));
        assertThat(entry.firstAttemptAt()).isEqualTo(entry.lastAttemptAt()).isEqualTo(T0);
        assertThat(db.queryLong("SELECT count(*) FROM dead_letters WHERE error ? 'code' AND error ? 'message'"
                        + " AND error ? 'stack_trace_hash'"))
                .isEqualTo(1);
    }

    @Test
    void a_job_whose_worker_died_on_its_last_attempt_is_dead_lettered_not_run_again() {
        UUID id = queue.enqueue(request(ACME, Stage.POLICY, "doc_1", "key-1"));
        Job job = claimOne("w");
        for (int attempt = 1; attempt <= 2; attempt++) {
            queue.fail(job, ErrorCode.DETECTOR_ERROR, "detector failed");
            clock.advance(Duration.ofSeconds(30));
            job = claimOne("w");
        }
        clock.advance(LEASE.plusSeconds(1));

        assertThat(queue.claim("w", 5, ALL)).isEmpty();

        DeadLetter entry = onlyDeadLetter();
        assertThat(entry.originalJobId()).isEqualTo(id);
        assertThat(entry.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(entry.retryCount()).isEqualTo(2);
        assertThat(queue.find(ACME, id).orElseThrow().status()).isEqualTo(JobStatus.DEAD);
    }

    @Test
    void a_suspended_tenants_jobs_wait_until_it_is_resumed() {
        queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        UUID globexJob = queue.enqueue(request(GLOBEX, Stage.PARSE, "doc_2", "key-2"));
        registry.setState(ACME, TenantState.SUSPENDED);

        List<Job> claimed = queue.claim("w", 10, ALL);
        assertThat(claimed).extracting(Job::jobId).containsExactly(globexJob);
        assertThat(queue.complete(claimed.get(0))).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(queue.claim("w", 10, ALL)).isEmpty();

        registry.setState(ACME, TenantState.ACTIVE);
        assertThat(queue.claim("w", 10, ALL)).extracting(Job::tenantId).containsExactly(ACME);
    }

    @Test
    void jobs_of_a_tenant_in_any_state_but_active_are_not_claimed() {
        queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        for (TenantState state : TenantState.values()) {
            if (state == TenantState.ACTIVE) {
                continue;
            }
            registry.setState(ACME, state);
            assertThat(queue.claim("w", 10, ALL)).as(state.name()).isEmpty();
        }
    }

    @Test
    void embed_and_index_jobs_wait_while_embedding_is_halted_but_parse_jobs_do_not() {
        UUID parse = queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "p"));
        UUID embed = queue.enqueue(request(ACME, Stage.EMBED, "doc_1", "e"));
        UUID index = queue.enqueue(request(ACME, Stage.INDEX, "doc_1", "i"));
        UUID globexEmbed = queue.enqueue(request(GLOBEX, Stage.EMBED, "doc_2", "e2"));
        registry.setEmbeddingHalted(ACME, true);

        assertThat(queue.claim("w", 10, ALL)).extracting(Job::jobId).containsExactlyInAnyOrder(parse, globexEmbed);

        registry.setEmbeddingHalted(ACME, false);
        assertThat(queue.claim("w", 10, ALL)).extracting(Job::jobId).containsExactlyInAnyOrder(embed, index);
    }

    @Test
    void at_most_four_jobs_of_one_tenant_run_at_once() {
        for (int i = 0; i < 10; i++) {
            queue.enqueue(request(ACME, Stage.PARSE, "doc_" + i, "key-" + i));
        }

        List<Job> first = queue.claim("w1", 10, ALL);
        assertThat(first).hasSize(4);
        assertThat(queue.claim("w2", 10, ALL)).isEmpty();

        assertThat(queue.complete(first.get(0))).isTrue();
        assertThat(queue.claim("w2", 10, ALL)).hasSize(1);
        clock.advance(LEASE.plusSeconds(1)); // expired leases no longer count as running
        assertThat(queue.claim("w3", 10, ALL)).hasSize(4);
    }

    @Test
    void tenants_take_turns_so_a_busy_tenant_does_not_starve_a_quiet_one() {
        for (int i = 0; i < 20; i++) {
            queue.enqueue(request(ACME, Stage.PARSE, "doc_" + i, "acme-" + i));
        }
        clock.advance(Duration.ofMinutes(5));
        UUID quiet1 = queue.enqueue(request(GLOBEX, Stage.PARSE, "doc_a", "globex-1"));
        UUID quiet2 = queue.enqueue(request(GLOBEX, Stage.PARSE, "doc_b", "globex-2"));

        List<Job> claimed = queue.claim("w", 4, ALL);

        assertThat(claimed).extracting(Job::tenantId).containsExactlyInAnyOrder(ACME, ACME, GLOBEX, GLOBEX);
        assertThat(claimed).extracting(Job::jobId).contains(quiet1, quiet2);
        assertThat(claimed.stream().filter(j -> j.tenantId().equals(ACME)))
                .extracting(Job::resourceId)
                .containsExactlyInAnyOrder("doc_0", "doc_1");
    }

    @Test
    void reports_queue_depth_per_stage() {
        queue.enqueue(request(ACME, Stage.PARSE, "a", "p1"));
        queue.enqueue(request(ACME, Stage.PARSE, "b", "p2"));
        queue.enqueue(request(GLOBEX, Stage.EMBED, "c", "e1"));
        Job claimed = queue.claim("w", 1, EnumSet.of(Stage.EMBED)).get(0);

        assertThat(queue.queueDepth())
                .containsEntry(Stage.PARSE, 2L)
                .containsEntry(Stage.EMBED, 0L)
                .containsEntry(Stage.INDEX, 0L)
                .hasSize(Stage.values().length);
        assertThat(claimed.stage()).isEqualTo(Stage.EMBED);
    }

    private static Job claimOne(String workerId) {
        List<Job> jobs = queue.claim(workerId, 1, ALL);
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    private static DeadLetter onlyDeadLetter() {
        DeadLetterPage page = new PostgresDeadLetters(db.dataSource(), clock).list(DeadLetterFilter.ALL, 1, 10);
        assertThat(page.entries()).hasSize(1);
        return page.entries().get(0);
    }

    static JobRequest request(TenantId tenant, Stage stage, String resourceId, String key) {
        return new JobRequest(tenant, stage, "document", resourceId, key, Map.of("doc", resourceId));
    }
}
