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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresAuditQueriesIT {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static TestDatabase db;
    private static MutableClock clock;
    private static PostgresAuditLog log;
    private static PostgresAuditQueries queries;
    private static List<AuditEvent> lineage;
    private static AuditEvent reparsed;
    private static AuditEvent globexEvent;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        clock = new MutableClock(Instant.parse("2026-03-01T23:59:59.999Z"));
        log = new PostgresAuditLog(clock);
        queries = new PostgresAuditQueries(db.dataSource());
        // day 1: one batch event; day 2: a document's provenance chain and a failure; then a reprocessing branch
        append(draft(EventType.BATCH_RECEIVED, "batch", "batch-1", Optional.empty(), Map.of("status", "success")));
        clock.advance(Duration.ofMillis(1));
        String raw = ProvenanceLinks.hashRefOf(new byte[] {1});
        String structured = ProvenanceLinks.hashRefOf(new byte[] {2});
        String chunks = ProvenanceLinks.hashRefOf(new byte[] {3});
        lineage = new ArrayList<>();
        lineage.add(append(draft(
                EventType.DOCUMENT_INGESTED,
                "file",
                "rcpt-1",
                Optional.empty(),
                Map.of("status", "success", "input_hash", raw, "output_hash", raw))));
        lineage.add(append(draft(
                EventType.DOCUMENT_PARSED,
                "document",
                "doc_1",
                Optional.of(lineage.get(0).eventId()),
                Map.of("status", "success", "input_hash", raw, "output_hash", structured))));
        append(draft(
                EventType.CONTENT_DROPPED,
                "document",
                "doc_1",
                Optional.of(lineage.get(1).eventId()),
                Map.of("status", "success", "total", 2L)));
        lineage.add(append(draft(
                EventType.POLICY_GATE_PASSED,
                "document",
                "doc_1",
                Optional.of(lineage.get(1).eventId()),
                Map.of("status", "success", "gate", "pii", "input_hash", structured, "output_hash", chunks))));
        append(new AuditEventDraft(
                ACME,
                EventType.DOCUMENT_PARSE_FAILED,
                AuditEventDraft.user("ops1"),
                "document",
                "doc_2",
                Optional.empty(),
                new TreeMap<>(Map.of("status", "failure"))));
        clock.advance(Duration.ofDays(1));
        // reprocessing from the parse stage: a new branch off the ingest event
        reparsed = append(draft(
                EventType.DOCUMENT_PARSED,
                "document",
                "doc_1",
                Optional.of(lineage.get(0).eventId()),
                Map.of("status", "success", "input_hash", raw, "output_hash", structured)));
        globexEvent = db.database()
                .inTransaction(c -> log.append(
                        c,
                        new AuditEventDraft(
                                GLOBEX,
                                EventType.BATCH_RECEIVED,
                                "system",
                                "batch",
                                "batch-1",
                                Optional.empty(),
                                new TreeMap<>())));
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static AuditEventDraft draft(
            EventType type,
            String resourceType,
            String resourceId,
            Optional<java.util.UUID> previous,
            Map<String, Object> details) {
        return new AuditEventDraft(ACME, type, "system", resourceType, resourceId, previous, new TreeMap<>(details));
    }

    private static AuditEvent append(AuditEventDraft draft) {
        return db.database().inTransaction(c -> log.append(c, draft));
    }

    private static List<Long> seqs(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::seq).toList();
    }

    @Test
    void lists_a_page_with_the_total_in_either_order() {
        AuditEventPage page = queries.list(ACME, AuditEventFilter.NONE, 2, 2, PostgresAuditQueries.Sort.ASC);
        AuditEventPage latest = queries.list(ACME, AuditEventFilter.NONE, 1, 3, PostgresAuditQueries.Sort.DESC);

        assertThat(page.total()).isEqualTo(7);
        assertThat(seqs(page.events())).containsExactly(3L, 4L);
        assertThat(seqs(latest.events())).containsExactly(7L, 6L, 5L);
    }

    @Test
    void filters_by_type_resource_actor_status_and_inclusive_utc_dates() {
        var asc = PostgresAuditQueries.Sort.ASC;
        assertThat(seqs(queries.list(ACME, AuditEventFilter.NONE.withEventType(EventType.DOCUMENT_PARSED), 1, 10, asc)
                        .events()))
                .containsExactly(3L, 7L);
        assertThat(queries.list(ACME, AuditEventFilter.NONE.withResourceId("doc_1"), 1, 10, asc)
                        .total())
                .isEqualTo(4);
        assertThat(queries.list(ACME, AuditEventFilter.NONE.withResourceType("file"), 1, 10, asc)
                        .total())
                .isEqualTo(1);
        assertThat(seqs(queries.list(ACME, AuditEventFilter.NONE.withActor("user:ops1"), 1, 10, asc)
                        .events()))
                .containsExactly(6L);
        assertThat(seqs(queries.list(ACME, AuditEventFilter.NONE.withStatus("failure"), 1, 10, asc)
                        .events()))
                .containsExactly(6L);
        LocalDate first = LocalDate.parse("2026-03-01");
        LocalDate second = LocalDate.parse("2026-03-02");
        assertThat(seqs(queries.list(ACME, AuditEventFilter.NONE.withDates(first, first), 1, 10, asc)
                        .events()))
                .containsExactly(1L);
        assertThat(queries.list(ACME, AuditEventFilter.NONE.withDates(second, second), 1, 10, asc)
                        .total())
                .isEqualTo(5);
        assertThatThrownBy(() -> queries.list(ACME, AuditEventFilter.NONE, 1, 501, asc))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }

    @Test
    void pages_with_an_opaque_cursor_until_nothing_is_left() {
        List<Long> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int slices = 0;
        do {
            AuditEventSlice slice =
                    queries.listAfter(ACME, AuditEventFilter.NONE, cursor, 3, PostgresAuditQueries.Sort.DESC);
            seen.addAll(seqs(slice.events()));
            assertThat(slice.nextCursor().isPresent()).isEqualTo(slice.hasMore());
            cursor = slice.nextCursor();
            slices++;
        } while (cursor.isPresent());

        assertThat(seen).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(slices).isEqualTo(3);
        assertThatThrownBy(() -> queries.listAfter(
                        ACME, AuditEventFilter.NONE, Optional.of("not-a-cursor!"), 3, PostgresAuditQueries.Sort.ASC))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }

    @Test
    void finds_an_event_with_its_latest_successor_and_lineage_position() {
        AuditEventDetail parse = queries.find(ACME, lineage.get(1).eventId()).orElseThrow();
        AuditEventDetail ingest = queries.find(ACME, lineage.get(0).eventId()).orElseThrow();

        assertThat(parse.event()).isEqualTo(lineage.get(1));
        assertThat(parse.nextEventId()).contains(lineage.get(2).eventId());
        assertThat(parse.lineagePosition()).isEqualTo(2);
        assertThat(parse.lineageLength()).isEqualTo(3);
        assertThat(ingest.nextEventId())
                .as("the reprocessing branch is the latest")
                .contains(reparsed.eventId());
        assertThat(ingest.lineagePosition()).isEqualTo(1);
        assertThat(ingest.lineageLength()).isEqualTo(2);
    }

    @Test
    void does_not_find_another_tenants_event() {
        assertThat(queries.find(ACME, globexEvent.eventId())).isEmpty();
        assertThat(queries.find(GLOBEX, globexEvent.eventId())).isPresent();
    }

    @Test
    void returns_the_latest_provenance_branch_of_a_resource_with_older_branches_listed() {
        ProvenanceChain chain = queries.chainOf(ACME, "doc_1").orElseThrow();

        assertThat(chain.events())
                .extracting(AuditEvent::eventId)
                .containsExactly(lineage.get(0).eventId(), reparsed.eventId());
        assertThat(chain.olderBranches())
                .containsExactly(lineage.get(1).eventId(), lineage.get(2).eventId());
        assertThat(chain.valid()).isTrue();
        assertThat(queries.chainOf(ACME, "doc_unknown")).isEmpty();
        assertThat(queries.chainOf(GLOBEX, "doc_1")).isEmpty();
    }

    @Test
    void reports_the_head_of_a_chain_and_nothing_for_a_tenant_without_events() {
        assertThat(queries.head(ACME)).hasValueSatisfying(head -> {
            assertThat(head.seq()).isEqualTo(7);
            assertThat(head.eventHash()).isEqualTo(reparsed.eventHash());
            assertThat(head.lastCheckpoint()).isEmpty();
        });
        assertThat(queries.head(TenantId.of("initech"))).isEmpty();
        assertThat(queries.checkpoints(ACME, 1, 10).total()).isZero();
    }
}
