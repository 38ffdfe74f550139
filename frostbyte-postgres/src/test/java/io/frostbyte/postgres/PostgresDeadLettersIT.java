package io.frostbyte.postgres;

import static io.frostbyte.postgres.PostgresJobQueueIT.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.job.Job;
import io.frostbyte.core.job.JobStatus;
import io.frostbyte.core.job.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresDeadLettersIT {
    private static final Instant T0 = Instant.parse("2026-03-02T10:15:30Z");
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private static TestDatabase db;
    private static MutableClock clock;
    private static PostgresTenantRegistry registry;
    private static PostgresJobQueue queue;
    private static PostgresDeadLetters deadLetters;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        clock = new MutableClock(T0);
        registry = new PostgresTenantRegistry(db.dataSource(), clock);
        queue = new PostgresJobQueue(db.dataSource(), clock, Duration.ofSeconds(300), 4);
        deadLetters = new PostgresDeadLetters(db.dataSource(), clock);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void empty() {
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
    void a_retry_queues_a_new_job_with_attempts_reset_and_resolves_the_entry() {
        UUID original = queue.enqueue(new io.frostbyte.core.job.JobRequest(
                ACME, Stage.PARSE, "document", "doc_1", "raw-sha|parser-1|cfg", Map.of("receipt_id", "r-1")));
        UUID entryId = deadLetter(Stage.PARSE);
        clock.advance(Duration.ofHours(2));
        Instant retriedAt = clock.instant();

        DeadLetter resolved = deadLetters.retry(ACME, entryId, "admin:alice");

        assertThat(resolved.status()).isEqualTo(DeadLetterStatus.RESOLVED);
        assertThat(resolved.resolution()).contains(DeadLetterResolution.REPROCESSED);
        assertThat(resolved.resolvedBy()).contains("admin:alice");
        assertThat(resolved.resolvedAt()).contains(retriedAt);
        UUID newJobId = resolved.newJobId().orElseThrow();
        assertThat(newJobId).isNotEqualTo(original);
        JobSnapshot newJob = queue.find(ACME, newJobId).orElseThrow();
        assertThat(newJob.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(newJob.attempt()).isZero();
        assertThat(newJob.stage()).isEqualTo(Stage.PARSE);
        assertThat(newJob.resourceId()).isEqualTo("doc_1");
        assertThat(newJob.idempotencyKey()).isEqualTo("raw-sha|parser-1|cfg");
        assertThat(queue.find(ACME, original).orElseThrow().status()).isEqualTo(JobStatus.DEAD);
        assertThat(queue.enqueue(new io.frostbyte.core.job.JobRequest(
                        ACME, Stage.PARSE, "document", "doc_1", "raw-sha|parser-1|cfg", Map.of())))
                .isEqualTo(newJobId);

        Job rerun = queue.claim("w", 5, EnumSet.allOf(Stage.class)).get(0);
        assertThat(rerun.jobId()).isEqualTo(newJobId);
        assertThat(rerun.attempt()).isEqualTo(1);
        assertThat(rerun.payload()).containsExactly(Map.entry("receipt_id", "r-1"));
        assertThat(queue.deadLetterDepth()).containsEntry(Stage.PARSE, 0L);
    }

    @Test
    void abandoning_marks_the_entry_and_a_second_resolution_is_an_invalid_transition() {
        queue.enqueue(request(ACME, Stage.POLICY, "doc_1", "key-1"));
        UUID entryId = deadLetter(Stage.POLICY);

        DeadLetter abandoned = deadLetters.abandon(ACME, entryId, DeadLetterResolution.MANUAL_FIX, "admin:bob");

        assertThat(abandoned.status()).isEqualTo(DeadLetterStatus.ABANDONED);
        assertThat(abandoned.resolution()).contains(DeadLetterResolution.MANUAL_FIX);
        assertThat(abandoned.resolvedBy()).contains("admin:bob");
        assertThat(abandoned.newJobId()).isEmpty();
        assertThatThrownBy(() -> deadLetters.retry(ACME, entryId, "admin:bob"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
        assertThatThrownBy(() -> deadLetters.abandon(ACME, entryId, DeadLetterResolution.SKIPPED, "admin:bob"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
        assertThat(db.queryLong("SELECT count(*) FROM jobs")).isEqualTo(1);
    }

    @Test
    void a_retried_entry_cannot_be_retried_again() {
        queue.enqueue(request(ACME, Stage.EMBED, "doc_1", "key-1"));
        UUID entryId = deadLetter(Stage.EMBED);
        deadLetters.retry(ACME, entryId, "admin:alice");

        assertThatThrownBy(() -> deadLetters.retry(ACME, entryId, "admin:alice"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
        assertThat(db.queryLong("SELECT count(*) FROM jobs")).isEqualTo(2);
    }

    @Test
    void another_tenants_entry_is_not_found() {
        queue.enqueue(request(ACME, Stage.PARSE, "doc_1", "key-1"));
        UUID entryId = deadLetter(Stage.PARSE);

        assertThat(deadLetters.find(ACME, entryId)).isPresent();
        assertThat(deadLetters.find(GLOBEX, entryId)).isEmpty();
        assertThatThrownBy(() -> deadLetters.retry(GLOBEX, entryId, "admin:mallory"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
        assertThatThrownBy(() -> deadLetters.abandon(GLOBEX, entryId, DeadLetterResolution.SKIPPED, "admin:mallory"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
        assertThat(deadLetters.find(ACME, entryId).orElseThrow().status()).isEqualTo(DeadLetterStatus.PENDING_REVIEW);
    }

    @Test
    void lists_by_tenant_stage_and_status_a_page_at_a_time_oldest_first() {
        queue.enqueue(request(ACME, Stage.PARSE, "a", "k1"));
        UUID first = deadLetter(Stage.PARSE);
        queue.enqueue(request(ACME, Stage.EMBED, "b", "k2"));
        UUID second = deadLetter(Stage.EMBED);
        queue.enqueue(request(GLOBEX, Stage.PARSE, "c", "k3"));
        UUID third = deadLetter(Stage.PARSE);
        deadLetters.abandon(ACME, second, DeadLetterResolution.SKIPPED, "admin:bob");

        assertThat(deadLetters.list(DeadLetterFilter.ALL, 1, 50).entries())
                .extracting(DeadLetter::dlqEntryId)
                .containsExactly(first, second, third);
        assertThat(deadLetters
                        .list(DeadLetterFilter.ALL.withTenant(ACME), 1, 50)
                        .entries())
                .extracting(DeadLetter::dlqEntryId)
                .containsExactly(first, second);
        assertThat(deadLetters
                        .list(DeadLetterFilter.ALL.withStage(Stage.PARSE), 1, 50)
                        .entries())
                .extracting(DeadLetter::dlqEntryId)
                .containsExactly(first, third);
        assertThat(deadLetters
                        .list(DeadLetterFilter.ALL.withStatus(DeadLetterStatus.PENDING_REVIEW), 1, 50)
                        .entries())
                .extracting(DeadLetter::dlqEntryId)
                .containsExactly(first, third);
        DeadLetterPage secondPage = deadLetters.list(DeadLetterFilter.ALL, 2, 2);
        assertThat(secondPage.entries()).extracting(DeadLetter::dlqEntryId).containsExactly(third);
        assertThat(secondPage.total()).isEqualTo(3);
        assertThat(secondPage.page()).isEqualTo(2);
    }

    @Test
    void refuses_out_of_range_pages_and_reprocessed_as_an_abandon_resolution() {
        assertThatThrownBy(() -> deadLetters.list(DeadLetterFilter.ALL, 1, PostgresDeadLetters.MAX_LIMIT + 1))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThatThrownBy(() -> deadLetters.list(DeadLetterFilter.ALL, 0, 10))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThatThrownBy(() ->
                        deadLetters.abandon(ACME, UUID.randomUUID(), DeadLetterResolution.REPROCESSED, "admin:bob"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }

    /** Claims the only queued job of the stage and fails it with a non-retriable code. */
    private static UUID deadLetter(Stage stage) {
        clock.advance(Duration.ofSeconds(1));
        List<Job> jobs = queue.claim("w", 1, EnumSet.of(stage));
        assertThat(jobs).hasSize(1);
        FailOutcome outcome = queue.fail(jobs.get(0), ErrorCode.FILE_CORRUPTED, "file is corrupted");
        assertThat(outcome).isInstanceOf(FailOutcome.DeadLettered.class);
        return ((FailOutcome.DeadLettered) outcome).deadLetterId();
    }
}
