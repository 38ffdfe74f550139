package io.frostbyte.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.document.DocId;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.core.index.IndexPoint;
import io.frostbyte.core.index.StoredPoint;
import io.frostbyte.server.pipeline.IndexVerification.Mismatch;
import io.frostbyte.server.pipeline.IndexVerification.RowState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexVerificationTest {
    private static final DocId DOC = new DocId("doc_a35d2ab2b1167f7efbec662e");
    private static final Instant INGESTED = Instant.parse("2026-03-02T10:15:30.123456Z");
    private static final String FIRST = "chk_4e38bf391512f5a2661d8d20";
    private static final String SECOND = "chk_5f49c0402623063b3772e931";

    private static IndexPoint point(String chunkId, float... vector) {
        return new IndexPoint(chunkId, DOC, "other", 1, INGESTED, vector, "text of " + chunkId);
    }

    private static RowState row(IndexPoint point) {
        return new RowState(
                point.chunkId(), false, Optional.of(Vectors.sha256Hex(point.vector())), Optional.of(point.vector()));
    }

    private final IndexPoint first = point(FIRST, 0.6f, 0.8f, 0f);
    private final IndexPoint second = point(SECOND, 0f, 0.6f, 0.8f);

    @Test
    void three_stores_that_agree_have_no_mismatch() {
        assertThat(IndexVerification.check(
                        List.of(first, second),
                        List.of(row(first), row(second)),
                        List.of(StoredPoint.of(first), StoredPoint.of(second))))
                .isEmpty();
    }

    @Test
    void a_point_the_index_lost_is_a_mismatch_by_chunk_id_and_count() {
        assertThat(IndexVerification.check(
                        List.of(first, second), List.of(row(first), row(second)), List.of(StoredPoint.of(first))))
                .containsExactly(new Mismatch(SECOND, "point_missing"), new Mismatch("*", "point_count"));
    }

    @Test
    void a_point_whose_vector_changed_in_the_index_is_a_mismatch() {
        IndexPoint altered = point(SECOND, 0f, 0.8f, 0.6f);

        assertThat(IndexVerification.check(
                        List.of(first, second),
                        List.of(row(first), row(second)),
                        List.of(StoredPoint.of(first), StoredPoint.of(altered))))
                .contains(new Mismatch(SECOND, "point_vector_sha256"), new Mismatch(SECOND, "point_payload"));
    }

    @Test
    void a_point_whose_payload_differs_from_what_was_written_is_a_mismatch() {
        IndexPoint relabelled = new IndexPoint(SECOND, DOC, "contract", 1, INGESTED, second.vector(), "x");

        assertThat(IndexVerification.check(
                        List.of(first, second),
                        List.of(row(first), row(second)),
                        List.of(StoredPoint.of(first), StoredPoint.of(relabelled))))
                .containsExactly(new Mismatch(SECOND, "point_payload"));
    }

    @Test
    void a_row_that_is_missing_quarantined_or_holds_another_vector_is_a_mismatch() {
        RowState quarantined =
                new RowState(FIRST, true, row(first).vectorSha256(), row(first).vector());
        RowState otherVector = new RowState(
                SECOND, false, Optional.of(Vectors.sha256Hex(first.vector())), Optional.of(second.vector()));

        assertThat(IndexVerification.check(
                        List.of(first, second),
                        List.of(quarantined, otherVector),
                        List.of(StoredPoint.of(first), StoredPoint.of(second))))
                .containsExactly(new Mismatch(FIRST, "row_quarantined"), new Mismatch(SECOND, "row_vector_sha256"));
        assertThat(IndexVerification.check(List.of(first), List.of(), List.of(StoredPoint.of(first))))
                .containsExactly(new Mismatch(FIRST, "row_missing"));
    }
}
