package io.frostbyte.postgres.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEvent;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.postgres.MutableClock;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditVerifierIT {
    private static TestDatabase db;
    private static PostgresAuditLog log;
    private static TestEd25519Signer signer;
    private static AuditCheckpointer checkpointer;
    private static AuditVerifier verifier;
    private static int counter;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        log = new PostgresAuditLog(clock);
        signer = new TestEd25519Signer();
        checkpointer = new AuditCheckpointer(db.dataSource(), log, signer, clock, 1000, Duration.ofSeconds(300));
        verifier = new AuditVerifier(db.dataSource(), signer::verify);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    /** A fresh chain of {@code n} events, with a checkpoint after event {@code checkpointAt} when positive. */
    private static TenantId chain(int n, int checkpointAt) {
        TenantId tenant = TenantId.of("chain-" + ++counter);
        List<AuditEventDraft> drafts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            drafts.add(AuditTestSupport.draft(tenant, EventType.BATCH_RECEIVED, Map.of("file_count", (long) i)));
        }
        db.database().inTransaction(c -> {
            if (checkpointAt > 0) {
                log.appendAll(c, drafts.subList(0, checkpointAt));
                checkpointer.checkpointNow(c, tenant).orElseThrow();
                log.appendAll(c, drafts.subList(checkpointAt, n));
            } else {
                log.appendAll(c, drafts);
            }
            return null;
        });
        return tenant;
    }

    /** Runs statements as the superuser with the append-only triggers off, as an attacker with superuser would. */
    private static void tamper(String... statements) {
        db.database().inTransaction(ignored -> {
            try (Connection c = db.adminConnection();
                    Statement statement = c.createStatement()) {
                statement.execute("SET session_replication_role = replica");
                try {
                    for (String sql : statements) {
                        statement.execute(sql);
                    }
                } finally {
                    statement.execute("RESET session_replication_role");
                }
            }
            return null;
        });
    }

    private static List<String> breaks(AuditVerification verification) {
        return verification.breaks().stream()
                .map(b -> b.seq() + ":" + b.kind().wireName())
                .toList();
    }

    @Test
    void finds_an_untampered_chain_valid_with_no_breaks() {
        TenantId tenant = chain(50, 20);

        AuditVerification verification = verifier.verify(tenant);

        assertThat(verification.hashChainValid()).isTrue();
        assertThat(verification.breaks()).isEmpty();
        assertThat(verification.eventsChecked()).isEqualTo(51);
        assertThat(verification.checkpointsChecked()).isEqualTo(1);
        assertThat(verification.toJson())
                .isEqualTo("{\"tenant_id\":\"" + tenant + "\",\"hash_chain_valid\":true,\"events_checked\":51,"
                        + "\"checkpoints_checked\":1,\"breaks\":[]}");
    }

    @Test
    void locates_edited_details_as_an_event_hash_break_at_that_seq() {
        TenantId tenant = chain(30, 0);
        tamper("UPDATE audit_events SET details = jsonb_set(details, '{file_count}', '999')" + " WHERE tenant_id = '"
                + tenant + "' AND seq = 12");

        AuditVerification verification = verifier.verify(tenant);

        assertThat(verification.hashChainValid()).isFalse();
        assertThat(breaks(verification)).containsExactly("12:event_hash");
    }

    @Test
    void locates_an_edit_with_a_recomputed_hash_at_the_next_events_prev_hash() {
        TenantId tenant = chain(30, 0);
        rewriteWithRecomputedHash(tenant, 12);

        assertThat(breaks(verifier.verify(tenant))).containsExactly("13:prev_hash");
    }

    @Test
    void detects_an_edit_with_the_rest_of_the_chain_recomputed_through_the_signed_checkpoint() {
        TenantId tenant = chain(30, 20);
        for (long seq = 12; seq <= 31; seq++) {
            rewriteWithRecomputedHash(tenant, seq);
        }
        tamper("UPDATE audit_chain_heads SET event_hash = (SELECT event_hash FROM audit_events WHERE tenant_id = '"
                + tenant + "' AND seq = 31) WHERE tenant_id = '" + tenant + "'");

        assertThat(breaks(verifier.verify(tenant))).containsExactly("20:checkpoint");
    }

    @Test
    void locates_a_deleted_event_as_a_seq_gap() {
        TenantId tenant = chain(30, 0);
        tamper("DELETE FROM audit_events WHERE tenant_id = '" + tenant + "' AND seq = 7");

        AuditVerification verification = verifier.verify(tenant);

        assertThat(breaks(verification)).containsExactly("7:seq_gap", "8:prev_hash");
        assertThat(verification.breaks().getFirst().expected()).isEqualTo("7");
        assertThat(verification.breaks().getFirst().actual()).isEqualTo("8");
    }

    @Test
    void detects_deleted_trailing_events_through_the_chain_head() {
        TenantId tenant = chain(30, 0);
        tamper("DELETE FROM audit_events WHERE tenant_id = '" + tenant + "' AND seq > 27");

        assertThat(breaks(verifier.verify(tenant))).containsExactly("28:seq_gap");
    }

    @Test
    void detects_and_locates_two_events_with_swapped_seqs() {
        TenantId tenant = chain(30, 0);
        String where = " WHERE tenant_id = '" + tenant + "'";
        tamper(
                "UPDATE audit_events SET seq = 1000000" + where + " AND seq = 10",
                "UPDATE audit_events SET seq = 10" + where + " AND seq = 11",
                "UPDATE audit_events SET seq = 11" + where + " AND seq = 1000000");

        AuditVerification verification = verifier.verify(tenant);

        assertThat(verification.hashChainValid()).isFalse();
        assertThat(breaks(verification))
                .contains("10:event_hash", "11:event_hash")
                .allMatch(b -> b.startsWith("10:") || b.startsWith("11:") || b.startsWith("12:"));
    }

    @Test
    void reports_a_forged_checkpoint_hash_and_a_forged_signature() {
        TenantId tenant = chain(30, 20);
        String where = " WHERE tenant_id = '" + tenant + "' AND seq = 20";
        tamper("UPDATE audit_checkpoints SET event_hash = '" + "e".repeat(64) + "'" + where);

        assertThat(breaks(verifier.verify(tenant))).containsExactly("20:checkpoint", "20:checkpoint");

        TenantId other = chain(30, 20);
        TestEd25519Signer forger = new TestEd25519Signer();
        String signature = forger.sign(new byte[] {1}).value();
        tamper("UPDATE audit_checkpoints SET signature = '" + signature + "' WHERE tenant_id = '" + other
                + "' AND seq = 20");

        AuditVerification forged = verifier.verify(other);
        assertThat(breaks(forged)).containsExactly("20:checkpoint");
        assertThat(forged.breaks().getFirst().actual()).isEqualTo("invalid signature");
    }

    @Test
    void lists_every_break_when_several_events_are_edited() {
        TenantId tenant = chain(40, 0);
        tamper("UPDATE audit_events SET actor = 'user:mallory' WHERE tenant_id = '" + tenant
                + "' AND seq IN (3, 17, 33)");

        assertThat(breaks(verifier.verify(tenant))).containsExactly("3:event_hash", "17:event_hash", "33:event_hash");
    }

    @Test
    void reports_a_provenance_link_whose_input_differs_from_the_predecessors_output() {
        TenantId tenant = TenantId.of("prov-" + ++counter);
        String a = ProvenanceLinks.hashRefOf(new byte[] {1});
        String b = ProvenanceLinks.hashRefOf(new byte[] {2});
        String c2 = ProvenanceLinks.hashRefOf(new byte[] {3});
        db.database().inTransaction(c -> {
            AuditEvent ingested = log.append(
                    c,
                    new AuditEventDraft(
                            tenant,
                            EventType.DOCUMENT_INGESTED,
                            "system",
                            "file",
                            "r1",
                            Optional.empty(),
                            new TreeMap<>(Map.of("input_hash", a, "output_hash", a))));
            log.append(
                    c,
                    new AuditEventDraft(
                            tenant,
                            EventType.DOCUMENT_PARSED,
                            "system",
                            "document",
                            "doc_1",
                            Optional.of(ingested.eventId()),
                            new TreeMap<>(Map.of("input_hash", b, "output_hash", c2))));
            return null;
        });

        AuditVerification verification = verifier.verify(tenant);

        assertThat(breaks(verification)).containsExactly("2:provenance");
        assertThat(verification.breaks().getFirst().expected()).isEqualTo(b);
        assertThat(verification.breaks().getFirst().actual()).isEqualTo(a);
    }

    @Test
    void verifies_from_a_seq_anchored_on_the_stored_hash_before_it() {
        TenantId tenant = chain(30, 0);
        tamper("UPDATE audit_events SET actor = 'user:mallory' WHERE tenant_id = '" + tenant + "' AND seq = 5");

        AuditVerification fromTen = verifier.verify(tenant, 10);

        assertThat(fromTen.breaks()).isEmpty();
        assertThat(fromTen.eventsChecked()).isEqualTo(21);
        assertThat(verifier.verifyAll())
                .filteredOn(v -> v.tenantId().equals(tenant))
                .singleElement()
                .satisfies(v -> assertThat(breaks(v)).containsExactly("5:event_hash"));
    }

    /** Replaces an event's actor and stores a correctly recomputed hash for it (its prev_hash unchanged). */
    private static void rewriteWithRecomputedHash(TenantId tenant, long seq) {
        AuditEvent stored = new PostgresAuditQueries(db.dataSource())
                .list(tenant, AuditEventFilter.NONE, 1, 500, PostgresAuditQueries.Sort.ASC).events().stream()
                        .filter(e -> e.seq() == seq)
                        .findFirst()
                        .orElseThrow();
        String prevHash = seq == 1 ? AuditEvent.GENESIS_HASH : storedHash(tenant, seq - 1);
        AuditEvent edited = new AuditEvent(
                stored.eventId(),
                stored.tenantId(),
                stored.seq(),
                stored.eventType(),
                stored.timestamp(),
                "user:mallory",
                stored.resourceType(),
                stored.resourceId(),
                stored.previousEventId(),
                stored.details(),
                prevHash,
                "x");
        String hash = AuditEventJson.computeEventHash(edited);
        tamper("UPDATE audit_events SET actor = 'user:mallory', prev_hash = '" + prevHash + "', event_hash = '" + hash
                + "' WHERE tenant_id = '" + tenant + "' AND seq = " + seq);
    }

    private static String storedHash(TenantId tenant, long seq) {
        return db.database().inTransaction(c -> {
            try (Connection admin = db.adminConnection();
                    Statement statement = admin.createStatement();
                    var rows = statement.executeQuery("SELECT event_hash FROM audit_events WHERE tenant_id = '" + tenant
                            + "' AND seq = " + seq)) {
                rows.next();
                return rows.getString(1);
            }
        });
    }
}
