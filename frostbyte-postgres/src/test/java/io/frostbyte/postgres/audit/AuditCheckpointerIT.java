package io.frostbyte.postgres.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.postgres.MutableClock;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditCheckpointerIT {
    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    private static TestDatabase db;
    private static MutableClock clock;
    private static PostgresAuditLog log;
    private static TestEd25519Signer signer;
    private static AuditCheckpointer checkpointer;
    private static PostgresAuditQueries queries;
    private static int counter;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        clock = new MutableClock(START);
        log = new PostgresAuditLog(clock);
        signer = new TestEd25519Signer();
        checkpointer = new AuditCheckpointer(db.dataSource(), log, signer, clock, 10, Duration.ofSeconds(300));
        queries = new PostgresAuditQueries(db.dataSource());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void resetClock() {
        clock.set(START);
    }

    private static TenantId tenant() {
        return TenantId.of("ckpt-" + ++counter);
    }

    private static void append(TenantId tenant, int n) {
        List<AuditEventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            drafts.add(AuditTestSupport.draft(tenant, EventType.BATCH_RECEIVED, Map.of("file_count", (long) i)));
        }
        db.database().inTransaction(c -> log.appendAll(c, drafts));
    }

    @Test
    void signs_the_head_after_every_events_and_records_an_audit_checkpoint_event() {
        TenantId tenant = tenant();
        append(tenant, 9);
        assertThat(checkpointer.checkpointIfDue(tenant)).isEmpty();
        append(tenant, 1);

        AuditCheckpoint checkpoint = checkpointer.checkpointIfDue(tenant).orElseThrow();

        AuditChainHead head = queries.head(tenant).orElseThrow();
        assertThat(checkpoint.seq()).isEqualTo(10);
        assertThat(checkpoint.keyId())
                .isEqualTo(signer.keyId())
                .startsWith("ed25519:")
                .hasSize(24);
        assertThat(signer.verify(checkpoint.signedBytes(), checkpoint.signatureValue()))
                .isTrue();
        assertThat(new String(checkpoint.signedBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"event_hash\":\"" + checkpoint.eventHash() + "\",\"seq\":10,\"tenant_id\":\"" + tenant
                        + "\",\"time\":\"2026-03-02T10:00:00.000Z\"}");
        assertThat(head.seq()).isEqualTo(11);
        assertThat(head.lastCheckpoint()).contains(checkpoint);
        AuditEvent recorded = queries.list(
                        tenant,
                        AuditEventFilter.NONE.withEventType(EventType.AUDIT_CHECKPOINT),
                        1,
                        10,
                        PostgresAuditQueries.Sort.ASC)
                .events()
                .getFirst();
        assertThat(recorded.seq()).isEqualTo(11);
        assertThat(recorded.resourceType()).isEqualTo("checkpoint");
        assertThat(recorded.details())
                .containsEntry("checkpoint_seq", 10L)
                .containsEntry("checkpoint_event_hash", checkpoint.eventHash())
                .containsEntry("key_id", signer.keyId())
                .containsEntry("signature", checkpoint.signature());
        assertThat(checkpointer.checkpointIfDue(tenant))
                .as("no new events since")
                .isEmpty();
    }

    @Test
    void checkpoints_after_the_interval_only_when_new_events_exist() {
        TenantId tenant = tenant();
        append(tenant, 3);
        assertThat(checkpointer.checkpointIfDue(tenant)).isEmpty();

        clock.advance(Duration.ofSeconds(300));
        assertThat(checkpointer.checkpointIfDue(tenant))
                .hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(3));

        append(tenant, 1);
        clock.advance(Duration.ofSeconds(299));
        assertThat(checkpointer.checkpointIfDue(tenant)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(checkpointer.checkpointIfDue(tenant))
                .hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(5));

        clock.advance(Duration.ofSeconds(600));
        assertThat(checkpointer.checkpointIfDue(tenant))
                .as("only its own checkpoint event since")
                .isEmpty();
    }

    @Test
    void checkpoints_every_due_chain_and_leaves_the_others() {
        TenantId due = tenant();
        TenantId notDue = tenant();
        append(due, 12);
        append(notDue, 2);

        List<AuditCheckpoint> taken = checkpointer.checkpointAll();

        assertThat(taken).extracting(AuditCheckpoint::tenantId).contains(due).doesNotContain(notDue);
        assertThat(queries.checkpoints(due, 1, 10).checkpoints())
                .singleElement()
                .satisfies(c -> assertThat(c.seq()).isEqualTo(12));
        assertThat(new AuditVerifier(db.dataSource(), signer::verify)
                        .verify(due)
                        .breaks())
                .isEmpty();
    }

    @Test
    void runs_in_the_background_until_closed() throws Exception {
        TenantId tenant = tenant();
        append(tenant, 10);
        try (AuditCheckpointer background =
                new AuditCheckpointer(db.dataSource(), log, signer, clock, 10, Duration.ofSeconds(300))) {
            background.start(Duration.ofMillis(20));
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() ->
                            queries.head(tenant).orElseThrow().lastCheckpoint().isPresent());
        }
        assertThat(queries.head(tenant)
                        .orElseThrow()
                        .lastCheckpoint()
                        .orElseThrow()
                        .seq())
                .isEqualTo(10);
    }
}
