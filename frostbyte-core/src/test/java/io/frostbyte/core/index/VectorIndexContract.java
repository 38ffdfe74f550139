package io.frostbyte.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link VectorIndex} passes (see its Javadoc). Subclasses give the index under test; each test
 * works in namespaces of its own random tenants and drops them afterwards, so the suite can run against a shared
 * server.
 */
public abstract class VectorIndexContract {
    protected static final int DIMENSION = 8;
    private static final Instant MARCH_2 = Instant.parse("2026-03-02T10:15:30.123456Z");

    private final List<IndexNamespace> created = new ArrayList<>();

    protected abstract VectorIndex index();

    @AfterEach
    void dropNamespaces() {
        created.forEach(index()::drop);
    }

    /** A namespace of a fresh tenant, created with {@link #DIMENSION}. */
    protected IndexNamespace fresh() {
        IndexNamespace namespace = unused();
        index().create(namespace, DIMENSION);
        return namespace;
    }

    /** A namespace of a fresh tenant, not created. */
    protected IndexNamespace unused() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        IndexNamespace namespace = IndexNamespace.first(TenantId.of("ct-" + suffix));
        created.add(namespace);
        return namespace;
    }

    protected static String chunkId(String name) {
        return "chk_" + sha256(name).substring(0, 24);
    }

    protected static DocId docId(String name) {
        return new DocId("doc_" + sha256(name).substring(0, 24));
    }

    /** A unit-ish vector near axis {@code axis}, nudged towards {@code nudgeAxis} by {@code nudge}. */
    protected static float[] near(int axis, int nudgeAxis, float nudge) {
        float[] v = new float[DIMENSION];
        v[axis] = 1f;
        v[nudgeAxis] += nudge;
        return Vectors.l2Normalized(v);
    }

    protected static IndexPoint point(
            String chunk, String doc, String classification, Instant at, float[] v, String text) {
        return new IndexPoint(chunkId(chunk), docId(doc), classification, 1, at, v, text);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::chunkId).toList();
    }

    /** Five chunks of three documents on distinct axes, with distinct words, classes and days. */
    private List<IndexPoint> corpus() {
        return List.of(
                point(
                        "invoice",
                        "doc-a",
                        "invoice",
                        MARCH_2,
                        near(0, 1, 0.1f),
                        "Invoice 4711 payment due in thirty days"),
                point(
                        "contract",
                        "doc-a",
                        "contract",
                        MARCH_2.plusSeconds(86_400),
                        near(1, 2, 0.1f),
                        "The supplier contract renews every year"),
                point(
                        "penguins",
                        "doc-b",
                        "other",
                        MARCH_2.plusSeconds(2 * 86_400),
                        near(2, 3, 0.1f),
                        "Penguins live in the southern hemisphere"),
                point(
                        "payroll",
                        "doc-b",
                        "invoice",
                        MARCH_2.plusSeconds(3 * 86_400),
                        near(3, 4, 0.1f),
                        "Payroll payment schedule for March"),
                point(
                        "weather",
                        "doc-c",
                        "other",
                        MARCH_2.plusSeconds(4 * 86_400),
                        near(4, 5, 0.1f),
                        "Weather report rain expected tomorrow"));
    }

    private IndexNamespace withCorpus() {
        IndexNamespace namespace = fresh();
        index().upsert(namespace, corpus());
        return namespace;
    }

    @Test
    void creates_a_namespace_with_its_dimension() {
        IndexNamespace namespace = unused();
        assertThat(index().exists(namespace)).isFalse();
        assertThat(index().dimension(namespace)).isEmpty();

        index().create(namespace, DIMENSION);

        assertThat(index().exists(namespace)).isTrue();
        assertThat(index().dimension(namespace)).isEqualTo(OptionalInt.of(DIMENSION));
        assertThat(index().count(namespace)).isZero();
    }

    @Test
    void creating_again_with_the_same_dimension_keeps_the_points() {
        IndexNamespace namespace = withCorpus();

        index().create(namespace, DIMENSION);

        assertThat(index().count(namespace)).isEqualTo(5);
    }

    @Test
    void refuses_to_recreate_a_namespace_with_another_dimension() {
        IndexNamespace namespace = fresh();

        assertCode(() -> index().create(namespace, DIMENSION + 1), ErrorCode.DIMENSION_MISMATCH);
        assertThat(index().dimension(namespace)).isEqualTo(OptionalInt.of(DIMENSION));
    }

    @Test
    void fails_closed_on_a_namespace_that_was_never_created() {
        IndexNamespace namespace = unused();
        IndexPoint p = corpus().getFirst();

        assertCode(() -> index().upsert(namespace, List.of(p)), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> index().count(namespace), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> index().fetch(namespace, List.of(p.chunkId())), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(
                () -> index().search(namespace, SearchRequest.hybrid(p.vector(), "invoice", 3)),
                ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> index().deleteDocument(namespace, p.docId()), ErrorCode.RESOURCE_NOT_FOUND);
        assertThat(index().exists(namespace)).isFalse();
    }

    @Test
    void writes_nothing_of_a_batch_with_one_vector_of_the_wrong_dimension() {
        IndexNamespace namespace = fresh();
        List<IndexPoint> batch = new ArrayList<>(corpus());
        batch.add(point("wide", "doc-z", "other", MARCH_2, new float[] {1, 0, 0, 0, 0, 0, 0, 0, 1}, "too wide"));

        assertCode(() -> index().upsert(namespace, batch), ErrorCode.DIMENSION_MISMATCH);

        assertThat(index().count(namespace)).isZero();
    }

    @Test
    void rejects_zero_and_non_finite_vectors_and_writes_nothing() {
        IndexNamespace namespace = fresh();
        float[] nan = near(0, 1, 0.1f);
        nan[3] = Float.NaN;

        assertCode(
                () -> index().upsert(
                                namespace,
                                List.of(
                                        corpus().get(0),
                                        point("zero", "d", "other", MARCH_2, new float[DIMENSION], "z"))),
                ErrorCode.DIMENSION_MISMATCH);
        assertCode(
                () -> index().upsert(namespace, List.of(point("nan", "d", "other", MARCH_2, nan, "n"))),
                ErrorCode.DIMENSION_MISMATCH);
        assertThat(index().count(namespace)).isZero();
    }

    @Test
    void rejects_a_query_vector_of_the_wrong_dimension() {
        IndexNamespace namespace = withCorpus();

        assertCode(
                () -> index().search(namespace, SearchRequest.hybrid(new float[] {1, 0, 0}, "invoice", 3)),
                ErrorCode.DIMENSION_MISMATCH);
    }

    @Test
    void upserting_the_same_chunk_twice_keeps_one_point_with_the_newer_fields() {
        IndexNamespace namespace = withCorpus();
        IndexPoint newer = new IndexPoint(
                chunkId("invoice"), docId("doc-a"), "contract", 7, MARCH_2, near(6, 7, 0.2f), "rewritten text");

        index().upsert(namespace, List.of(newer));
        index().upsert(namespace, List.of(newer));

        assertThat(index().count(namespace)).isEqualTo(5);
        StoredPoint stored =
                index().fetch(namespace, List.of(chunkId("invoice"))).getFirst();
        assertThat(stored).isEqualTo(StoredPoint.of(newer));
        assertThat(stored.page()).isEqualTo(7);
    }

    @Test
    void reads_back_vectors_and_fields_byte_for_byte_in_the_order_asked() {
        IndexNamespace namespace = withCorpus();
        List<IndexPoint> points = corpus();

        List<StoredPoint> stored =
                index().fetch(namespace, List.of(chunkId("weather"), chunkId("missing"), chunkId("invoice")));

        assertThat(stored).containsExactly(StoredPoint.of(points.get(4)), StoredPoint.of(points.get(0)));
        assertThat(stored.get(1).vectorSha256())
                .isEqualTo(Vectors.sha256Hex(points.get(0).vector()));
        assertThat(stored.get(1).ingestedAt()).isEqualTo(Instant.parse("2026-03-02T10:15:30.123Z"));
    }

    @Test
    void deletes_every_point_of_a_document_and_nothing_else() {
        IndexNamespace namespace = withCorpus();

        index().deleteDocument(namespace, docId("doc-a"));
        index().deleteDocument(namespace, docId("doc-a"));

        assertThat(index().count(namespace)).isEqualTo(3);
        assertThat(index().fetch(namespace, List.of(chunkId("invoice"), chunkId("contract"))))
                .isEmpty();
        List<SearchHit> hits =
                index().search(namespace, SearchRequest.hybrid(near(0, 1, 0.1f), "invoice contract", 10));
        assertThat(hits).extracting(SearchHit::docId).doesNotContain(docId("doc-a"));
    }

    @Test
    void replacing_a_document_leaves_exactly_its_new_points_and_touches_no_other_document() {
        IndexNamespace namespace = withCorpus();
        IndexPoint rewritten = new IndexPoint(
                chunkId("invoice"), docId("doc-a"), "contract", 3, MARCH_2, near(6, 7, 0.2f), "rewritten text");
        IndexPoint added =
                new IndexPoint(chunkId("appendix"), docId("doc-a"), "other", 4, MARCH_2, near(5, 6, 0.1f), "appendix");

        index().replaceDocument(namespace, docId("doc-a"), List.of(rewritten, added));
        index().replaceDocument(namespace, docId("doc-a"), List.of(rewritten, added));

        assertThat(index().count(namespace)).isEqualTo(5);
        assertThat(index().fetch(namespace, List.of(chunkId("invoice"), chunkId("contract"), chunkId("appendix"))))
                .containsExactly(StoredPoint.of(rewritten), StoredPoint.of(added));
        assertThat(index().fetch(namespace, List.of(chunkId("penguins")))).hasSize(1);
    }

    @Test
    void an_announced_replacement_is_written_and_an_abandoned_announcement_holds_up_no_write() {
        IndexNamespace namespace = withCorpus();
        IndexPoint added =
                new IndexPoint(chunkId("appendix"), docId("doc-a"), "other", 4, MARCH_2, near(5, 6, 0.1f), "appendix");

        try (VectorIndex.WriteAnnouncement announcement = index().announceWrite(namespace)) {
            index().replaceDocument(namespace, docId("doc-a"), List.of(added));
            announcement.close(); // closing twice is harmless
        }
        VectorIndex.WriteAnnouncement abandoned = index().announceWrite(namespace);
        abandoned.close();
        index().replaceDocument(namespace, docId("doc-b"), List.of());

        assertThat(index().fetch(namespace, List.of(chunkId("invoice"), chunkId("appendix"))))
                .containsExactly(StoredPoint.of(added));
        assertThat(index().count(namespace)).isEqualTo(2);
    }

    @Test
    void replacing_a_document_with_no_points_deletes_it() {
        IndexNamespace namespace = withCorpus();

        index().replaceDocument(namespace, docId("doc-a"), List.of());

        assertThat(index().count(namespace)).isEqualTo(3);
        assertThat(index().fetch(namespace, List.of(chunkId("invoice"), chunkId("contract"))))
                .isEmpty();
    }

    @Test
    void a_replacement_with_one_bad_vector_or_another_documents_point_changes_nothing() {
        IndexNamespace namespace = withCorpus();
        IndexPoint good =
                new IndexPoint(chunkId("invoice"), docId("doc-a"), "other", 1, MARCH_2, near(6, 7, 0.2f), "new");
        IndexPoint shortVector =
                new IndexPoint(chunkId("short"), docId("doc-a"), "other", 1, MARCH_2, new float[] {1, 0, 0}, "x");
        IndexPoint foreign =
                new IndexPoint(chunkId("foreign"), docId("doc-b"), "other", 1, MARCH_2, near(1, 2, 0.2f), "foreign");

        assertCode(
                () -> index().replaceDocument(namespace, docId("doc-a"), List.of(good, shortVector)),
                ErrorCode.DIMENSION_MISMATCH);
        assertCode(
                () -> index().replaceDocument(namespace, docId("doc-a"), List.of(good, foreign)),
                ErrorCode.VALIDATION_ERROR);

        assertThat(index().count(namespace)).isEqualTo(5);
        assertThat(index().fetch(namespace, List.of(chunkId("invoice"))).getFirst())
                .isEqualTo(StoredPoint.of(corpus().getFirst()));
    }

    @Test
    void ranks_the_nearest_vector_first_in_a_vector_search() {
        IndexNamespace namespace = withCorpus();

        List<SearchHit> hits = index().search(
                        namespace,
                        SearchRequest.hybrid(near(2, 3, 0.15f), "", 3).withMode(SearchMode.VECTOR));

        assertThat(hits).hasSize(3);
        SearchHit top = hits.getFirst();
        assertThat(top.chunkId()).isEqualTo(chunkId("penguins"));
        assertThat(top.docId()).isEqualTo(docId("doc-b"));
        assertThat(top.classification()).isEqualTo("other");
        assertThat(top.vectorRank()).isEqualTo(OptionalInt.of(1));
        assertThat(top.keywordRank()).isEmpty();
        assertThat(top.score()).isEqualTo(1.0 / (ReciprocalRankFusion.K + 1));
    }

    @Test
    void finds_chunks_by_their_words_in_a_keyword_search() {
        IndexNamespace namespace = withCorpus();

        List<SearchHit> hits = index().search(
                        namespace,
                        SearchRequest.hybrid(near(4, 5, 0.1f), "southern penguins", 5)
                                .withMode(SearchMode.KEYWORD));

        assertThat(ids(hits)).containsExactly(chunkId("penguins"));
        assertThat(hits.getFirst().keywordRank()).isEqualTo(OptionalInt.of(1));
        assertThat(hits.getFirst().vectorRank()).isEmpty();
    }

    @Test
    void matches_words_case_and_width_insensitively() {
        IndexNamespace namespace = withCorpus();

        // full-width letters fold to ASCII under NFKC; upper case folds to lower
        List<SearchHit> hits = index().search(
                        namespace,
                        SearchRequest.hybrid(near(0, 1, 0.1f), "ＰＥＮＧＵＩＮＳ", 5).withMode(SearchMode.KEYWORD));

        assertThat(ids(hits)).containsExactly(chunkId("penguins"));
    }

    @Test
    void fuses_both_legs_by_reciprocal_rank() {
        IndexNamespace namespace = withCorpus();

        // the vector is nearest "weather"; the words only occur in "payroll" and "invoice"
        List<SearchHit> hits = index().search(namespace, SearchRequest.hybrid(near(4, 5, 0.1f), "payroll schedule", 5));

        SearchHit weather = hits.stream()
                .filter(h -> h.chunkId().equals(chunkId("weather")))
                .findFirst()
                .orElseThrow();
        SearchHit payroll = hits.stream()
                .filter(h -> h.chunkId().equals(chunkId("payroll")))
                .findFirst()
                .orElseThrow();
        assertThat(weather.vectorRank()).isEqualTo(OptionalInt.of(1));
        assertThat(weather.keywordRank()).isEmpty();
        assertThat(payroll.keywordRank()).isEqualTo(OptionalInt.of(1));
        assertThat(payroll.score())
                .isEqualTo(1.0 / (ReciprocalRankFusion.K + 1)
                        + 1.0 / (ReciprocalRankFusion.K + payroll.vectorRank().orElseThrow()));
        assertThat(hits.getFirst().chunkId()).isEqualTo(chunkId("payroll"));
        assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    }

    @Test
    void filters_by_classification_before_ranking() {
        IndexNamespace namespace = withCorpus();

        List<SearchHit> hits = index().search(
                        namespace,
                        SearchRequest.hybrid(near(2, 3, 0.1f), "penguins", 5)
                                .withFilter(SearchFilter.NONE.withClassifications("invoice")));

        assertThat(ids(hits)).containsExactlyInAnyOrder(chunkId("invoice"), chunkId("payroll"));
    }

    @Test
    void filters_by_ingestion_day_with_inclusive_bounds() {
        IndexNamespace namespace = withCorpus();

        List<SearchHit> hits = index().search(
                        namespace,
                        SearchRequest.hybrid(near(0, 1, 0.1f), "", 5)
                                .withMode(SearchMode.VECTOR)
                                .withFilter(SearchFilter.NONE.withIngested(
                                        LocalDate.of(2026, 3, 3), LocalDate.of(2026, 3, 5))));

        assertThat(ids(hits)).containsExactlyInAnyOrder(chunkId("contract"), chunkId("penguins"), chunkId("payroll"));
    }

    @Test
    void filters_by_document_ids_and_combines_filters() {
        IndexNamespace namespace = withCorpus();
        SearchFilter filter =
                SearchFilter.NONE.withDocIds(docId("doc-b"), docId("doc-c")).withClassifications("other");

        List<SearchHit> hits = index().search(
                        namespace,
                        SearchRequest.hybrid(near(3, 4, 0.1f), "payroll", 5).withFilter(filter));

        assertThat(ids(hits)).containsExactlyInAnyOrder(chunkId("penguins"), chunkId("weather"));
    }

    @Test
    void keeps_tenants_and_generations_apart() {
        IndexNamespace first = withCorpus();
        IndexNamespace other = fresh();
        IndexNamespace nextGeneration = new IndexNamespace(first.tenantId(), 2);
        created.add(nextGeneration);
        index().create(nextGeneration, DIMENSION);
        index().upsert(other, List.of(corpus().get(2)));

        assertThat(index().count(first)).isEqualTo(5);
        assertThat(index().count(other)).isEqualTo(1);
        assertThat(index().count(nextGeneration)).isZero();
        assertThat(ids(index().search(other, SearchRequest.hybrid(near(0, 1, 0.1f), "invoice", 5))))
                .containsExactly(chunkId("penguins"));
    }

    @Test
    void drops_a_namespace_with_its_points_and_dropping_again_succeeds() {
        IndexNamespace namespace = withCorpus();

        index().drop(namespace);
        index().drop(namespace);

        assertThat(index().exists(namespace)).isFalse();
        assertCode(() -> index().count(namespace), ErrorCode.RESOURCE_NOT_FOUND);
        index().create(namespace, DIMENSION + 8);
        assertThat(index().count(namespace)).isZero();
        assertThat(index().dimension(namespace)).isEqualTo(OptionalInt.of(DIMENSION + 8));
    }

    @Test
    void serves_searches_while_a_writer_works_and_every_write_is_visible_when_it_returns() throws Exception {
        IndexNamespace namespace = withCorpus();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> searches = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                searches.add(readers.submit(() -> {
                    int done = 0;
                    while (writing.get() || done == 0) {
                        List<SearchHit> hits = index().search(
                                        namespace, SearchRequest.hybrid(near(0, 1, 0.1f), "invoice payment", 10));
                        assertThat(hits).isNotEmpty();
                        done++;
                    }
                    return done;
                }));
            }
            for (int batch = 0; batch < 10; batch++) {
                List<IndexPoint> points = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    points.add(point(
                            "bulk-" + batch + "-" + i,
                            "doc-bulk",
                            "other",
                            MARCH_2,
                            near(5 + i % 3, i % 8, 0.05f * (i + 1)),
                            "bulk chunk number " + i));
                }
                index().upsert(namespace, points);
                assertThat(index().count(namespace)).isEqualTo(5 + 10L * (batch + 1));
            }
            writing.set(false);
            for (Future<Integer> search : searches) {
                assertThat(search.get(60, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            writing.set(false);
            readers.shutdownNow();
        }
    }
}
