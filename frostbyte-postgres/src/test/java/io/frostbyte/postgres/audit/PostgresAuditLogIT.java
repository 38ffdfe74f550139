package io.frostbyte.postgres.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.postgres.MutableClock;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresAuditLogIT {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static TestDatabase db;
    private static MutableClock clock;
    private static PostgresAuditLog log;
    private static final AtomicInteger appended = new AtomicInteger();
    private static int tenantCounter;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(10);
        clock = new MutableClock(Instant.parse("2026-03-02T10:15:36.118777Z"));
        log = new PostgresAuditLog(clock, event -> appended.incrementAndGet());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void freshTenantNames() {
        tenantCounter++;
    }

    private static TenantId tenant(String name) {
        return TenantId.of(name + "-" + tenantCounter);
    }

    private static AuditEventDraft draft(TenantId tenant, long n) {
        return AuditTestSupport.draft(tenant, EventType.BATCH_RECEIVED, Map.of("file_count", n, "status", "success"));
    }

    @Test
    void appends_gap_free_seqs_linked_by_prev_hash_with_millisecond_timestamps() {
        TenantId tenant = tenant("acme");
        AuditEvent first = db.database().inTransaction(c -> log.append(c, draft(tenant, 1)));
        AuditEvent second = db.database().inTransaction(c -> log.append(c, draft(tenant, 2)));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(AuditEvent.GENESIS_HASH);
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2026-03-02T10:15:36.118Z"));
        assertThat(first.eventId().version()).isEqualTo(7);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.eventHash());
        assertThat(second.eventHash())
                .isEqualTo(AuditEventJson.computeEventHash(second))
                .matches("[0-9a-f]{64}");
        assertThat(AuditTestSupport.allEventJson(db.dataSource()))
                .contains(AuditEventJson.toJson(first), AuditEventJson.toJson(second));
    }

    @Test
    void leaves_no_event_and_no_gap_when_the_callers_transaction_rolls_back() {
        TenantId tenant = tenant("rollback");
        db.database().inTransaction(c -> log.append(c, draft(tenant, 1)));
        assertThatThrownBy(() -> db.database().inTransaction(c -> {
                    log.append(c, draft(tenant, 2));
                    throw new IllegalStateException("the recorded operation failed");
                }))
                .isInstanceOf(IllegalStateException.class);

        AuditEvent next = db.database().inTransaction(c -> log.append(c, draft(tenant, 3)));

        assertThat(next.seq()).isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM audit_events WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(2);
    }

    @Test
    void appends_a_batch_to_several_chains_in_input_order_with_one_insert_per_chain() {
        TenantId a = tenant("batch-a");
        TenantId b = tenant("batch-b");
        List<AuditEventDraft> drafts = List.of(draft(b, 1), draft(a, 2), draft(b, 3), draft(a, 4), draft(b, 5));

        List<AuditEvent> events = db.database().inTransaction(c -> log.appendAll(c, drafts));

        assertThat(events)
                .extracting(e -> e.tenantId().value())
                .containsExactly(b.value(), a.value(), b.value(), a.value(), b.value());
        assertThat(events).extracting(AuditEvent::seq).containsExactly(1L, 1L, 2L, 2L, 3L);
        assertThat(events.get(2).prevHash()).isEqualTo(events.get(0).eventHash());
        assertThat(events.get(4).prevHash()).isEqualTo(events.get(2).eventHash());
        assertThat(events.get(0).details()).containsEntry("file_count", 1L);
        assertThat(new AuditVerifier(db.dataSource(), (m, s) -> false).verify(b).breaks())
                .isEmpty();
    }

    @Test
    void appends_events_with_preset_ids_all_in_one_chain_linked_and_verifiable() {
        TenantId tenant = tenant("preset");
        java.util.UUID first = log.nextEventId();
        java.util.UUID second = log.nextEventId();
        AuditEventDraft linked = new AuditEventDraft(
                tenant,
                EventType.BATCH_RECEIVED,
                AuditEventDraft.SYSTEM,
                "batch",
                "b-1",
                Optional.of(first),
                new TreeMap<>(Map.<String, Object>of("file_count", 2L, "status", "success")));

        List<AuditEvent> events = db.database()
                .inTransaction(c -> log.appendAll(c, List.of(draft(tenant, 1), linked), List.of(first, second)));

        assertThat(events).extracting(AuditEvent::eventId).containsExactly(first, second);
        assertThat(events).extracting(AuditEvent::seq).containsExactly(1L, 2L);
        assertThat(events.get(1).previousEventId()).contains(first);
        assertThat(events.get(1).prevHash()).isEqualTo(events.get(0).eventHash());
        assertThat(AuditTestSupport.allEventJson(db.dataSource()))
                .contains(AuditEventJson.toJson(events.get(0)), AuditEventJson.toJson(events.get(1)));
        assertThat(new AuditVerifier(db.dataSource(), (m, s) -> false)
                        .verify(tenant)
                        .breaks())
                .isEmpty();
    }

    @Test
    void writes_no_event_of_a_preset_id_batch_when_ids_and_drafts_do_not_match_or_the_transaction_rolls_back() {
        TenantId tenant = tenant("preset-none");
        assertThatThrownBy(() -> db.database()
                        .inTransaction(c -> log.appendAll(
                                c, List.of(draft(tenant, 1), draft(tenant, 2)), List.of(log.nextEventId()))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> db.database().inTransaction(c -> {
                    log.appendAll(
                            c,
                            List.of(draft(tenant, 1), draft(tenant, 2)),
                            List.of(log.nextEventId(), log.nextEventId()));
                    throw new IllegalStateException("the recorded operation failed");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(db.queryLong("SELECT count(*) FROM audit_events WHERE tenant_id = '" + tenant + "'"))
                .isZero();
    }

    @Test
    void serializes_eight_concurrent_writers_on_one_chain_into_seq_1_to_2000() throws Exception {
        TenantId tenant = tenant("busy");
        int threads = 8;
        int perThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long n = thread * 1000L + i;
                        db.database().inTransaction(c -> log.append(c, draft(tenant, n)));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(failures).isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM audit_events WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(2000);
        assertThat(db.queryLong("SELECT min(seq) FROM audit_events WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(1);
        assertThat(db.queryLong("SELECT max(seq) FROM audit_events WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(2000);
        assertThat(db.queryLong("SELECT seq FROM audit_chain_heads WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(2000);
        AuditVerification verification = new AuditVerifier(db.dataSource(), (m, s) -> false).verify(tenant);
        assertThat(verification.breaks()).isEmpty();
        assertThat(verification.eventsChecked()).isEqualTo(2000);
    }

    @Test
    void refuses_to_append_outside_a_transaction() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            assertThat(connection.getAutoCommit()).isTrue();
            assertThatThrownBy(() -> log.append(connection, draft(tenant("auto"), 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auto-commit");
        }
    }

    @Test
    void calls_the_append_hook_once_per_event() {
        int before = appended.get();
        TenantId tenant = tenant("hook");

        db.database().inTransaction(c -> log.appendAll(c, List.of(draft(tenant, 1), draft(tenant, 2))));

        assertThat(appended.get() - before).isEqualTo(2);
    }

    @Test
    void fails_with_service_unavailable_when_the_log_cannot_be_written() {
        TenantId tenant = tenant("broken");
        // a transaction already aborted by an earlier failure cannot take an append
        assertThatThrownBy(() -> db.database().inTransaction(c -> {
                    try (Statement statement = c.createStatement()) {
                        statement.execute("SELECT 1/0");
                    } catch (SQLException expected) {
                        // the transaction is now aborted
                    }
                    return log.append(c, draft(tenant, 1));
                }))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("audit log could not be written (SQLState 25P02)");
                });
    }

    @Test
    void links_a_stage_event_to_the_latest_provenance_event_of_its_predecessor() {
        TenantId tenant = tenant("prov");
        String received = ProvenanceLinks.hashRefOf("raw bytes".getBytes());
        String structured = ProvenanceLinks.hashRefOf("structured".getBytes());
        AuditEvent ingested = db.database()
                .inTransaction(c -> log.append(
                        c,
                        new AuditEventDraft(
                                tenant,
                                EventType.DOCUMENT_INGESTED,
                                AuditEventDraft.SYSTEM,
                                "file",
                                "rcpt-1",
                                Optional.empty(),
                                new TreeMap<>(Map.of(
                                        "input_hash", received, "output_hash", received, "status", "success")))));

        AuditEvent parsed = db.database().inTransaction(c -> {
            assertThat(ProvenanceLinks.latestProvenanceEvent(c, tenant, "rcpt-1"))
                    .hasValueSatisfying(p -> {
                        assertThat(p.eventId()).isEqualTo(ingested.eventId());
                        assertThat(p.outputHash()).isEqualTo(received);
                    });
            AuditEventDraft draft = ProvenanceLinks.linked(
                    c,
                    new AuditEventDraft(
                            tenant,
                            EventType.DOCUMENT_PARSED,
                            AuditEventDraft.SYSTEM,
                            "document",
                            "doc_1",
                            Optional.empty(),
                            new TreeMap<>(Map.of("page_count", 2L))),
                    "rcpt-1",
                    structured);
            return log.append(c, draft);
        });

        assertThat(parsed.previousEventId()).contains(ingested.eventId());
        assertThat(parsed.details()).containsEntry("input_hash", received).containsEntry("output_hash", structured);
        assertThatThrownBy(() -> db.database()
                        .inTransaction(
                                c -> ProvenanceLinks.linked(c, draft(tenant, 1), "no-such-resource", structured)))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_READY));
    }

    @Test
    void lets_the_app_role_only_insert_and_read_audit_rows() throws SQLException {
        TenantId tenant = tenant("perm");
        db.database().inTransaction(c -> log.append(c, draft(tenant, 1)));

        assertThat(sqlState(db.dataSource(), "UPDATE audit_events SET actor = 'user:x'"))
                .isEqualTo("42501");
        assertThat(sqlState(db.dataSource(), "DELETE FROM audit_events")).isEqualTo("42501");
        assertThat(sqlState(db.dataSource(), "TRUNCATE audit_events")).isEqualTo("42501");
        assertThat(sqlState(db.dataSource(), "DELETE FROM audit_checkpoints")).isEqualTo("42501");
        assertThat(sqlState(db.dataSource(), "ALTER TABLE audit_events DISABLE TRIGGER USER"))
                .isEqualTo("42501");
        assertThat(sqlState(db.dataSource(), "DELETE FROM audit_chain_heads")).isEqualTo("42501");
        assertThat(db.queryLong("SELECT count(*) FROM audit_events WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(1);
    }

    @Test
    void rejects_update_delete_and_truncate_by_the_owner_with_the_append_only_trigger() throws SQLException {
        TenantId tenant = tenant("trig");
        db.database().inTransaction(c -> {
            log.append(c, draft(tenant, 1));
            return new AuditCheckpointer(db.dataSource(), log, new TestEd25519Signer(), clock)
                    .checkpointNow(c, tenant)
                    .orElseThrow();
        });

        for (String sql : List.of(
                "UPDATE audit_events SET actor = 'user:x'", "DELETE FROM audit_events", "TRUNCATE audit_events")) {
            SQLException e = failure(db.adminDataSource(), sql);
            assertThat(e.getSQLState()).isEqualTo("55000");
            assertThat(e.getMessage()).contains("audit_events is append-only");
        }
        for (String sql : List.of(
                "UPDATE audit_checkpoints SET key_id = 'x'",
                "DELETE FROM audit_checkpoints",
                "TRUNCATE audit_checkpoints")) {
            SQLException e = failure(db.adminDataSource(), sql);
            assertThat(e.getSQLState()).isEqualTo("55000");
            assertThat(e.getMessage()).contains("audit_checkpoints is append-only");
        }
        assertThat(db.queryLong("SELECT count(*) FROM audit_events WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(2);
        assertThat(db.queryLong("SELECT count(*) FROM audit_checkpoints WHERE tenant_id = '" + tenant + "'"))
                .isEqualTo(1);
    }

    @Test
    void keeps_chains_of_different_tenants_independent() {
        AuditEvent acme = db.database().inTransaction(c -> log.append(c, draft(ACME, 1)));
        AuditEvent globex = db.database().inTransaction(c -> log.append(c, draft(GLOBEX, 1)));

        assertThat(globex.prevHash()).isEqualTo(AuditEvent.GENESIS_HASH);
        assertThat(globex.seq()).isEqualTo(acme.seq());
    }

    private static String sqlState(DataSource dataSource, String sql) {
        return failure(dataSource, sql).getSQLState();
    }

    private static SQLException failure(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("statement succeeded: " + sql);
    }
}
