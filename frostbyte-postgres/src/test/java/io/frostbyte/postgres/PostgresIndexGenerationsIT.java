package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.postgres.IndexGeneration.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresIndexGenerationsIT {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final IndexProfile MINILM =
            new IndexProfile("minilm-384", "all-MiniLM-L6-v2", "1.0", 384, IndexProfile.STANDARD_ANALYZER);
    private static final IndexProfile OPENAI = new IndexProfile(
            "openai-768", "openai/text-embedding-3-small", "2024-01-25", 768, IndexProfile.STANDARD_ANALYZER);

    private static TestDatabase db;
    private static MutableClock clock;
    private static PostgresIndexGenerations generations;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        generations = new PostgresIndexGenerations(db.dataSource(), clock);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void noGenerations() {
        db.execute("DELETE FROM index_generations");
        clock.set(Instant.parse("2026-03-02T10:00:00Z"));
    }

    @Test
    void a_tenant_without_a_record_gets_generation_one_with_the_initial_profile_once() {
        assertThat(generations.current(ACME)).isEmpty();

        IndexGeneration first = generations.currentOrCreate(ACME, MINILM);
        IndexGeneration again = generations.currentOrCreate(ACME, OPENAI);

        assertThat(first.generation()).isEqualTo(1);
        assertThat(first.indexVersion()).isEqualTo("g1");
        assertThat(first.status()).isEqualTo(Status.CURRENT);
        assertThat(first.profile()).isEqualTo(MINILM);
        assertThat(first.switchedAt()).contains(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(again).isEqualTo(first);
        assertThat(generations.current(GLOBEX)).isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM index_generations")).isEqualTo(1);
    }

    @Test
    void concurrent_first_uses_create_exactly_one_current_generation() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<IndexGeneration>> calls = List.of(
                    () -> generations.currentOrCreate(ACME, MINILM),
                    () -> generations.currentOrCreate(ACME, MINILM),
                    () -> generations.currentOrCreate(ACME, MINILM),
                    () -> generations.currentOrCreate(ACME, MINILM));
            for (Future<IndexGeneration> result : pool.invokeAll(calls)) {
                assertThat(result.get().generation()).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.queryLong("SELECT count(*) FROM index_generations WHERE tenant_id = 'acme-corp'"))
                .isEqualTo(1);
    }

    @Test
    void a_rebuild_builds_the_next_generation_and_the_switch_retires_the_old_one_atomically() {
        generations.currentOrCreate(ACME, MINILM);
        clock.advance(Duration.ofMinutes(1));

        PostgresIndexGenerations.BuildStart start = generations.startBuilding(ACME, OPENAI, MINILM);
        assertThat(start.current().generation()).isEqualTo(1);
        assertThat(start.building().generation()).isEqualTo(2);
        assertThat(start.building().status()).isEqualTo(Status.BUILDING);
        assertThat(start.building().profile()).isEqualTo(OPENAI);
        assertThat(start.abandoned()).isEmpty();
        // queries keep reading generation 1 while 2 is built
        assertThat(generations.current(ACME).orElseThrow().generation()).isEqualTo(1);

        generations.progress(ACME, 2, 5, 10);
        assertThat(generations.building(ACME).orElseThrow().chunksDone()).isEqualTo(5);
        assertThat(generations.building(ACME).orElseThrow().chunksTotal()).isEqualTo(10);

        clock.advance(Duration.ofMinutes(1));
        IndexGeneration retired = db.database().inTransaction(tx -> generations.switchTo(tx, ACME, 2));

        assertThat(retired.generation()).isEqualTo(1);
        assertThat(retired.status()).isEqualTo(Status.RETIRED);
        assertThat(retired.retiredAt()).contains(Instant.parse("2026-03-02T10:02:00Z"));
        IndexGeneration current = generations.current(ACME).orElseThrow();
        assertThat(current.generation()).isEqualTo(2);
        assertThat(current.profile().dimensions()).isEqualTo(768);
        assertThat(current.switchedAt()).contains(Instant.parse("2026-03-02T10:02:00Z"));
        assertThat(generations.building(ACME)).isEmpty();
        assertThat(generations.list(ACME))
                .extracting(IndexGeneration::generation, IndexGeneration::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, Status.CURRENT),
                        org.assertj.core.groups.Tuple.tuple(1, Status.RETIRED));
    }

    @Test
    void a_second_rebuild_while_one_is_building_is_a_conflict() {
        generations.startBuilding(ACME, OPENAI, MINILM);

        assertThatThrownBy(() -> generations.startBuilding(ACME, MINILM, MINILM))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_READY));
        // another tenant is not affected
        assertThat(generations.startBuilding(GLOBEX, OPENAI, MINILM).building().generation())
                .isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM index_generations WHERE status = 'building'"))
                .isEqualTo(2);
    }

    @Test
    void concurrent_rebuild_starts_let_exactly_one_through() throws Exception {
        generations.currentOrCreate(ACME, MINILM);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int started = 0;
        int conflicts = 0;
        try {
            Callable<Integer> start = () ->
                    generations.startBuilding(ACME, OPENAI, MINILM).building().generation();
            for (Future<Integer> result : pool.invokeAll(List.of(start, start, start, start))) {
                try {
                    assertThat(result.get()).isEqualTo(2);
                    started++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause())
                            .isInstanceOfSatisfying(
                                    FrostbyteException.class,
                                    f -> assertThat(f.code()).isEqualTo(ErrorCode.RESOURCE_NOT_READY));
                    conflicts++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(started).isEqualTo(1);
        assertThat(conflicts).isEqualTo(3);
    }

    @Test
    void a_failed_build_frees_the_tenant_for_the_next_rebuild_with_a_new_number() {
        generations.startBuilding(ACME, OPENAI, MINILM);
        generations.fail(ACME, 2, "EMBED_FAILED");

        IndexGeneration failed = generations.find(ACME, 2).orElseThrow();
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.errorCode()).contains("EMBED_FAILED");
        assertThat(generations.current(ACME).orElseThrow().generation()).isEqualTo(1);
        assertThat(generations.startBuilding(ACME, OPENAI, MINILM).building().generation())
                .isEqualTo(3);
        assertThatThrownBy(() -> generations.progress(ACME, 2, 1, 1))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_READY));
    }

    @Test
    void a_build_without_progress_for_ten_minutes_is_taken_for_abandoned_and_replaced() {
        generations.startBuilding(ACME, OPENAI, MINILM);
        clock.advance(PostgresIndexGenerations.STALE_BUILD.minusSeconds(1));
        assertThatThrownBy(() -> generations.startBuilding(ACME, OPENAI, MINILM))
                .isInstanceOf(FrostbyteException.class);

        clock.advance(Duration.ofSeconds(2));
        PostgresIndexGenerations.BuildStart start = generations.startBuilding(ACME, OPENAI, MINILM);

        assertThat(start.abandoned().orElseThrow().generation()).isEqualTo(2);
        assertThat(start.abandoned().orElseThrow().status()).isEqualTo(Status.FAILED);
        assertThat(start.abandoned().orElseThrow().errorCode()).contains("REBUILD_ABANDONED");
        assertThat(start.building().generation()).isEqualTo(3);
    }

    @Test
    void switching_to_a_generation_that_is_not_building_changes_nothing() {
        generations.startBuilding(ACME, OPENAI, MINILM);

        assertThatThrownBy(() -> db.database().inTransaction(tx -> generations.switchTo(tx, ACME, 3)))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_READY));
        assertThat(generations.current(ACME).orElseThrow().generation()).isEqualTo(1);
        assertThat(generations.building(ACME).orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void counts_only_live_embed_and_index_jobs_of_the_tenant_as_in_flight() {
        db.execute(
                "INSERT INTO tenants (tenant_id, tenant_name, state, created_at, updated_at)"
                        + " VALUES ('acme-corp', 'Acme', 'ACTIVE', now(), now()) ON CONFLICT DO NOTHING",
                "DELETE FROM jobs");
        insertJob("embed", "processing", "2026-03-02T10:05:00Z");
        insertJob("index", "processing", "2026-03-02T10:05:00Z");
        insertJob("index", "processing", "2026-03-02T09:55:00Z"); // expired lease: its worker is gone
        insertJob("parse", "processing", "2026-03-02T10:05:00Z");
        insertJob("embed", "queued", null);

        assertThat(generations.pipelineJobsInFlight(ACME)).isEqualTo(2);
        assertThat(generations.pipelineJobsInFlight(GLOBEX)).isZero();
    }

    private static int jobs;

    private static void insertJob(String stage, String status, String leaseUntil) {
        jobs++;
        db.execute("INSERT INTO jobs (job_id, tenant_id, stage, resource_type, resource_id, idempotency_key, status,"
                + " next_run_at, lease_owner, lease_until, created_at, updated_at) VALUES (gen_random_uuid(),"
                + " 'acme-corp', '" + stage + "', 'document', 'doc-" + jobs + "', 'k-" + jobs + "', '" + status
                + "', now(), " + (leaseUntil == null ? "NULL, NULL" : "'w1', '" + leaseUntil + "'")
                + ", now(), now())");
    }
}
