package io.frostbyte.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.document.DocId;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReciprocalRankFusionTest {
    private static final DocId DOC = new DocId("doc_000000000000000000000001");

    private static ReciprocalRankFusion.Candidate c(char id) {
        return new ReciprocalRankFusion.Candidate("chk_" + String.valueOf(id).repeat(24), DOC, "other", 1);
    }

    @Test
    void sums_reciprocal_ranks_over_both_legs() {
        List<SearchHit> hits = ReciprocalRankFusion.fuse(List.of(c('a'), c('b')), List.of(c('b'), c('c')), 10);

        assertThat(hits)
                .extracting(SearchHit::chunkId)
                .containsExactly(c('b').chunkId(), c('a').chunkId(), c('c').chunkId());
        assertThat(hits.getFirst().score()).isEqualTo(1.0 / 62 + 1.0 / 61);
        assertThat(hits.getFirst().vectorRank()).isEqualTo(OptionalInt.of(2));
        assertThat(hits.getFirst().keywordRank()).isEqualTo(OptionalInt.of(1));
    }

    @Test
    void breaks_ties_on_chunk_id_and_cuts_at_the_limit() {
        List<SearchHit> hits = ReciprocalRankFusion.fuse(List.of(c('d')), List.of(c('a')), 1);

        assertThat(hits).extracting(SearchHit::chunkId).containsExactly(c('a').chunkId());
    }
}
