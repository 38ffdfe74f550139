package io.frostbyte.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.SearchRequest;
import io.frostbyte.core.index.StoredPoint;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.index.VectorIndexContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against real Lucene on disk, plus what only a persistent index can show. */
class LuceneVectorIndexTest extends VectorIndexContract {
    @TempDir
    Path dataDir;

    private LuceneVectorIndex index;

    @Override
    protected VectorIndex index() {
        if (index == null) {
            index = new LuceneVectorIndex(dataDir);
        }
        return index;
    }

    @AfterEach
    void closeIndex() {
        if (index != null) {
            index.close();
        }
    }

    @Test
    void lays_out_one_directory_per_tenant_and_generation() {
        IndexNamespace namespace = new IndexNamespace(TenantId.of("acme-corp"), 3);
        index().create(namespace, DIMENSION);

        assertThat(dataDir.resolve("tenants/acme-corp/index/g3")).isDirectory();
        index().drop(namespace);
        assertThat(dataDir.resolve("tenants/acme-corp/index/g3")).doesNotExist();
    }

    @Test
    void storage_bytes_are_the_namespace_directorys_files_and_zero_once_dropped() throws Exception {
        IndexNamespace namespace = new IndexNamespace(TenantId.of("acme-corp"), 2);
        index().create(namespace, DIMENSION);
        long empty = index().storageBytes(namespace).orElseThrow();
        index().upsert(
                        namespace,
                        List.of(point("a", "doc-a", "other", Instant.EPOCH, near(0, 1, 0.1f), "alpha beta gamma")));

        long written = index().storageBytes(namespace).orElseThrow();
        long onDisk;
        try (var files = java.nio.file.Files.list(dataDir.resolve("tenants/acme-corp/index/g2"))) {
            onDisk = files.mapToLong(file -> file.toFile().length()).sum();
        }
        assertThat(written).isGreaterThan(empty).isGreaterThan(0).isEqualTo(onDisk);
        index().drop(namespace);
        assertThat(index().storageBytes(namespace)).hasValue(0);
    }

    @Test
    void records_the_dimension_in_the_commit_and_enforces_it_after_a_restart() throws Exception {
        IndexNamespace namespace = new IndexNamespace(TenantId.of("acme-corp"), 1);
        index().create(namespace, DIMENSION);
        StoredPoint written = StoredPoint.of(
                point("a", "doc-a", "other", Instant.parse("2026-03-02T00:00:00Z"), near(0, 1, 0.1f), "alpha"));
        index().upsert(
                        namespace,
                        List.of(point(
                                "a",
                                "doc-a",
                                "other",
                                Instant.parse("2026-03-02T00:00:00Z"),
                                near(0, 1, 0.1f),
                                "alpha")));
        index.close();

        try (FSDirectory directory = FSDirectory.open(dataDir.resolve("tenants/acme-corp/index/g1"))) {
            assertThat(SegmentInfos.readLatestCommit(directory).getUserData())
                    .containsEntry("frostbyte.dimension", "8")
                    .containsEntry("frostbyte.analyzer", "fb-standard-1");
        }
        try (LuceneVectorIndex reopened = new LuceneVectorIndex(dataDir)) {
            assertThat(reopened.dimension(namespace)).isEqualTo(OptionalInt.of(DIMENSION));
            assertThat(reopened.fetch(namespace, List.of(written.chunkId()))).containsExactly(written);
            assertThatThrownBy(() -> reopened.upsert(
                            namespace,
                            List.of(point("b", "doc-a", "other", Instant.EPOCH, new float[] {1, 2, 3}, "b"))))
                    .isInstanceOfSatisfying(
                            FrostbyteException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));
            assertThatThrownBy(() -> reopened.create(namespace, 384))
                    .isInstanceOfSatisfying(
                            FrostbyteException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH));
            assertThat(reopened.count(namespace)).isEqualTo(1);
        }
    }

    @Test
    void concurrent_replacements_are_each_committed_before_they_return_and_survive_a_restart() throws Exception {
        IndexNamespace namespace = new IndexNamespace(TenantId.of("acme-corp"), 1);
        index().create(namespace, DIMENSION);
        int writers = 6;
        int documentsEach = 15;
        java.util.concurrent.ConcurrentLinkedQueue<String> visibleOnReturn =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(writers)) {
            List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                work.add(threads.submit(() -> {
                    for (int d = 0; d < documentsEach; d++) {
                        String doc = "doc-" + writer + "-" + d;
                        List<io.frostbyte.core.index.IndexPoint> points = List.of(
                                point(doc + "/1", doc, "other", Instant.EPOCH, near(writer % DIMENSION, 1, 0.1f), "a"),
                                point(doc + "/2", doc, "other", Instant.EPOCH, near(d % DIMENSION, 2, 0.2f), "b"));
                        index().replaceDocument(namespace, docId(doc), points);
                        // a write is visible to searchers once it returned
                        if (index().fetch(namespace, List.of(chunkId(doc + "/1"), chunkId(doc + "/2")))
                                        .size()
                                == 2) {
                            visibleOnReturn.add(doc);
                        }
                    }
                    return null;
                }));
            }
            for (var future : work) {
                future.get();
            }
        }
        assertThat(visibleOnReturn).hasSize(writers * documentsEach);
        // replacing a document again swaps its points in one piece
        index().replaceDocument(
                        namespace,
                        docId("doc-0-0"),
                        List.of(point("doc-0-0/3", "doc-0-0", "other", Instant.EPOCH, near(3, 4, 0.1f), "c")));
        index.close();

        try (LuceneVectorIndex reopened = new LuceneVectorIndex(dataDir)) {
            assertThat(reopened.count(namespace)).isEqualTo(writers * documentsEach * 2L - 1);
            assertThat(reopened.fetch(namespace, List.of(chunkId("doc-0-0/1"), chunkId("doc-0-0/3"))))
                    .extracting(StoredPoint::chunkId)
                    .containsExactly(chunkId("doc-0-0/3"));
        }
    }

    @Test
    void a_commit_waits_for_a_write_announced_meanwhile_and_both_documents_share_its_segment() throws Exception {
        IndexNamespace namespace = new IndexNamespace(TenantId.of("acme-corp"), 1);
        try (LuceneVectorIndex grouping = groupingIndex(namespace);
                var threads = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            java.util.concurrent.Future<Integer> late =
                    announcedElsewhere(grouping, namespace, threads, announcement -> {
                        Thread.sleep(300); // still preparing when the other write commits
                        grouping.replaceDocument(namespace, docId("late"), List.of(pointOf("late", 1)));
                        return grouping.fetch(namespace, List.of(chunkId("late/1")))
                                .size();
                    });

            grouping.replaceDocument(namespace, docId("early"), List.of(pointOf("early", 2)));

            // the early write's commit waited for the announced one: both are in it, in one segment
            assertThat(grouping.fetch(namespace, List.of(chunkId("early/1"), chunkId("late/1"))))
                    .hasSize(2);
            assertThat(late.get()).isEqualTo(1);
            assertThat(segments(grouping, namespace)).isEqualTo(1);
        }
    }

    @Test
    void an_announced_write_given_up_releases_the_waiting_commit() throws Exception {
        IndexNamespace namespace = new IndexNamespace(TenantId.of("acme-corp"), 1);
        try (LuceneVectorIndex grouping = groupingIndex(namespace);
                var threads = java.util.concurrent.Executors.newSingleThreadExecutor()) {
            java.util.concurrent.Future<?> abandoned =
                    announcedElsewhere(grouping, namespace, threads, announcement -> {
                        Thread.sleep(300);
                        announcement.close(); // the job failed before writing; closing again is harmless
                        return null;
                    });
            long started = System.nanoTime();

            grouping.replaceDocument(namespace, docId("alone"), List.of(pointOf("alone", 3)));

            // released when the other thread gave up, long before the 30 s bound
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(java.time.Duration.ofSeconds(20));
            abandoned.get();
            assertThat(grouping.fetch(namespace, List.of(chunkId("alone/1")))).hasSize(1);
            // nothing pending any more: the next write commits without waiting for the bound
            grouping.replaceDocument(namespace, docId("next"), List.of(pointOf("next", 4)));
            assertThat(segments(grouping, namespace)).isEqualTo(2);
        }
    }

    /** A new index whose commits wait up to 30 s for announced writes, with {@code namespace} created. */
    private LuceneVectorIndex groupingIndex(IndexNamespace namespace) {
        LuceneVectorIndex grouping = new LuceneVectorIndex(dataDir.resolve("g"), java.time.Duration.ofSeconds(30));
        grouping.create(namespace, DIMENSION);
        return grouping;
    }

    /** What another thread does while its write is announced (the announcement closes when it returns). */
    private interface AnnouncedWork<T> {
        T run(VectorIndex.WriteAnnouncement announcement) throws Exception;
    }

    /** Runs {@code work} on {@code threads} under an announced write of {@code namespace}; returns once announced. */
    private static <T> java.util.concurrent.Future<T> announcedElsewhere(
            LuceneVectorIndex index,
            IndexNamespace namespace,
            java.util.concurrent.ExecutorService threads,
            AnnouncedWork<T> work)
            throws InterruptedException {
        java.util.concurrent.CountDownLatch announced = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Future<T> future = threads.submit(() -> {
            try (VectorIndex.WriteAnnouncement announcement = index.announceWrite(namespace)) {
                announced.countDown();
                return work.run(announcement);
            }
        });
        announced.await();
        return future;
    }

    private io.frostbyte.core.index.IndexPoint pointOf(String doc, int axis) {
        return point(doc + "/1", doc, "other", Instant.EPOCH, near(axis % DIMENSION, 1, 0.1f), "text of " + doc);
    }

    private static int segments(LuceneVectorIndex index, IndexNamespace namespace) throws Exception {
        try (FSDirectory directory = FSDirectory.open(index.directory(namespace))) {
            return SegmentInfos.readLatestCommit(directory).size();
        }
    }

    @Test
    void does_not_store_the_chunk_text() throws Exception {
        IndexNamespace namespace = new IndexNamespace(TenantId.of("acme-corp"), 1);
        index().create(namespace, DIMENSION);
        index().upsert(
                        namespace,
                        List.of(point(
                                "a", "doc-a", "other", Instant.EPOCH, near(0, 1, 0.1f), "zanzibarquux secret words")));
        index.close();

        // the term dictionary holds the words, but no stored-fields file holds the text
        try (var files = Files.walk(dataDir.resolve("tenants/acme-corp/index/g1"))) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".fdt"))
                    .toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain("secret words");
            }
        }
        try (LuceneVectorIndex reopened = new LuceneVectorIndex(dataDir)) {
            assertThat(reopened.search(namespace, SearchRequest.hybrid(near(5, 6, 0.1f), "zanzibarquux", 1)))
                    .hasSize(1);
        }
    }

    @Test
    void builds_its_graphs_with_the_specified_hnsw_parameters() {
        // spec/04 §4.3: M 16, beam 100 are Lucene's defaults, which this adapter keeps
        assertThat(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN).isEqualTo(16);
        assertThat(Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH).isEqualTo(100);
    }
}
