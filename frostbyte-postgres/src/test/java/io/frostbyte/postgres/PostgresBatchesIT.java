package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.intake.BatchStatus;
import io.frostbyte.core.intake.FileStatus;
import io.frostbyte.core.intake.PipelineStage;
import io.frostbyte.core.intake.StageState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresBatchesIT {
    private static final Instant T0 = Instant.parse("2026-03-02T10:15:30Z");
    private static final TenantId ACME = TenantId.of("acme-corp");

    private static TestDatabase db;
    private static MutableClock clock;
    private static PostgresBatches batches;
    private static int batchCounter;
    private String batchId;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(10);
        clock = new MutableClock(T0);
        new PostgresTenantRegistry(db.dataSource(), clock).create(ACME, "Acme Corp", "ops@acme.example", "standard");
        batches = new PostgresBatches(db.dataSource(), clock);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void freshBatch() {
        batchId = "batch-" + ++batchCounter;
    }

    @Test
    void a_stage_change_updates_the_file_writes_its_event_and_moves_the_batch_with_gap_free_event_ids() {
        insertBatch(List.of("doc_a", "doc_b"));

        assertThat(change("doc_a", PipelineStage.PARSE, StageState.PROCESSING, Optional.empty()))
                .isEqualTo(1);

        BatchView view = batches.view(ACME, batchId).orElseThrow();
        assertThat(view.status()).isEqualTo(BatchStatus.PROCESSING);
        BatchFile a = view.files().get(0);
        assertThat(a.status()).isEqualTo(FileStatus.PROCESSING);
        assertThat(a.stages()).containsEntry(PipelineStage.PARSE, StageState.PROCESSING);
        assertThat(view.files().get(1).status()).isEqualTo(FileStatus.QUEUED);
        List<BatchEvent> events = batches.events(ACME, batchId, 0, 100);
        assertThat(events).extracting(BatchEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events).extracting(BatchEvent::type).containsExactly("stage", "stage", "batch", "stage", "batch");
        assertThat(events.get(3).data())
                .contains("\"doc_id\":\"doc_a\"", "\"stage\":\"parse\"", "\"state\":\"processing\"")
                .contains("\"previous_state\":\"queued\"", "\"file_status\":\"processing\"");
        assertThat(events.get(4).data()).contains("\"status\":\"PROCESSING\"", "\"previous_status\":\"RECEIVED\"");

        // the same state again changes nothing and writes no event
        assertThat(change("doc_a", PipelineStage.PARSE, StageState.PROCESSING, Optional.empty()))
                .isZero();
        assertThat(batches.events(ACME, batchId, 0, 100)).hasSize(5);
    }

    @Test
    void a_batch_ends_once_its_last_file_ends_with_the_end_event_and_skipped_later_stages() {
        insertBatch(List.of("doc_a", "doc_b"));
        for (PipelineStage stage :
                List.of(PipelineStage.PARSE, PipelineStage.POLICY, PipelineStage.EMBED, PipelineStage.INDEX)) {
            change("doc_a", stage, StageState.PROCESSING, Optional.empty());
            change("doc_a", stage, StageState.COMPLETED, Optional.empty());
        }
        assertThat(batches.view(ACME, batchId).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSING);

        change(
                "doc_b",
                PipelineStage.PARSE,
                StageState.FAILED,
                Optional.of(new BatchFile.FileError(PipelineStage.PARSE, "PARSER_ERROR", "The document is damaged.")));

        BatchView view = batches.view(ACME, batchId).orElseThrow();
        assertThat(view.status()).isEqualTo(BatchStatus.COMPLETED_WITH_ERRORS);
        assertThat(view.reportId()).isPresent();
        assertThat(view.files().get(0).status()).isEqualTo(FileStatus.INDEXED);
        BatchFile b = view.files().get(1);
        assertThat(b.status()).isEqualTo(FileStatus.FAILED);
        assertThat(b.error())
                .contains(new BatchFile.FileError(PipelineStage.PARSE, "PARSER_ERROR", "The document is damaged."));
        assertThat(b.stages())
                .containsEntry(PipelineStage.POLICY, StageState.SKIPPED)
                .containsEntry(PipelineStage.INDEX, StageState.SKIPPED);
        List<BatchEvent> events = batches.events(ACME, batchId, 0, 100);
        assertThat(events).extracting(BatchEvent::id).doesNotHaveDuplicates().isSorted();
        assertThat(events.getLast().id()).isEqualTo(events.size());
        assertThat(events.getLast().type()).isEqualTo("end");
        assertThat(events.get(events.size() - 2).data()).contains("\"status\":\"COMPLETED_WITH_ERRORS\"");
    }

    @Test
    void a_stage_change_in_a_rolled_back_transaction_leaves_neither_the_file_change_nor_an_event() {
        insertBatch(List.of("doc_a"));

        assertThatThrownBy(() -> db.database().inTransaction(tx -> {
                    batches.stageChanged(
                            tx, ACME, "doc_a", PipelineStage.PARSE, StageState.PROCESSING, Optional.empty());
                    throw new IllegalStateException("the stage's completion failed");
                }))
                .isInstanceOf(IllegalStateException.class);

        BatchView view = batches.view(ACME, batchId).orElseThrow();
        assertThat(view.status()).isEqualTo(BatchStatus.RECEIVED);
        assertThat(view.files().getFirst().status()).isEqualTo(FileStatus.QUEUED);
        assertThat(batches.events(ACME, batchId, 0, 100)).hasSize(2);
    }

    @Test
    void files_of_one_batch_finishing_at_once_still_complete_the_batch() throws Exception {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            docs.add("doc_" + i);
        }
        insertBatch(docs);
        for (String doc : docs) {
            change(doc, PipelineStage.INDEX, StageState.PROCESSING, Optional.empty());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> finishing = new ArrayList<>();
        for (String doc : docs) {
            finishing.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return change(doc, PipelineStage.INDEX, StageState.COMPLETED, Optional.empty());
            }));
        }
        start.countDown();
        for (CompletableFuture<Integer> each : finishing) {
            assertThat(each.get()).isEqualTo(1);
        }

        assertThat(batches.view(ACME, batchId).orElseThrow().status()).isEqualTo(BatchStatus.COMPLETED);
        List<BatchEvent> events = batches.events(ACME, batchId, 0, 1000);
        assertThat(events.getLast().id()).isEqualTo(events.size());
        assertThat(events).filteredOn(e -> e.type().equals("end")).hasSize(1);
    }

    private int change(String docId, PipelineStage stage, StageState state, Optional<BatchFile.FileError> error) {
        return db.database().inTransaction(tx -> batches.stageChanged(tx, ACME, docId, stage, state, error));
    }

    private void insertBatch(List<String> docIds) {
        List<PostgresBatches.NewReceipt> receipts = new ArrayList<>();
        List<BatchFile> files = new ArrayList<>();
        for (int i = 0; i < docIds.size(); i++) {
            UUID receiptId = UUID.randomUUID();
            receipts.add(new PostgresBatches.NewReceipt(
                    receiptId, "file-" + i, i, "accepted", Optional.of(docIds.get(i)), false, 10, "{}"));
            Map<PipelineStage, StageState> stages = new EnumMap<>(PipelineStage.class);
            for (PipelineStage stage : PipelineStage.values()) {
                stages.put(stage, StageState.QUEUED);
            }
            stages.put(PipelineStage.INTAKE, StageState.COMPLETED);
            files.add(new BatchFile(
                    i,
                    "file-" + i,
                    receiptId,
                    "file-" + i + ".pdf",
                    Optional.of(docIds.get(i)),
                    FileStatus.QUEUED,
                    stages,
                    Optional.empty(),
                    0,
                    Optional.empty()));
        }
        db.database().inTransaction(tx -> {
            batches.insert(
                    tx,
                    new PostgresBatches.NewBatch(
                            ACME, batchId, "0".repeat(64), docIds.size(), Optional.empty(), Optional.empty(), "{}", T0),
                    receipts,
                    files);
            return null;
        });
    }
}
