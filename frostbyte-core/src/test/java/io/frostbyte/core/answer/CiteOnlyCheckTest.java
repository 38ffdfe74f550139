package io.frostbyte.core.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CiteOnlyCheckTest {
    static final String A = "chk_4e38bf391512f5a2661d8d20";
    static final String B = "chk_0123456789abcdef01234567";
    static final String NEVER_RETRIEVED = "chk_ffffffffffffffffffffffff";
    static final Set<String> PROOF = Set.of(A, B);

    @Test
    void a_fully_cited_answer_passes_unchanged_with_citations_in_order_of_first_use() {
        String draft = "The Broncos beat the Steelers 23–16. [" + B + "] They then beat the Patriots 20–18. [" + A
                + "] [" + B + "]";

        CheckedAnswer checked = CiteOnlyCheck.apply(draft, PROOF, true);

        assertThat(checked.answer()).isEqualTo(draft);
        assertThat(checked.citedChunks()).containsExactly(B, A);
        assertThat(checked.sentences()).isEqualTo(2);
        assertThat(checked.ungrounded()).isZero();
        assertThat(checked.invalidCitations()).isZero();
        assertThat(checked.suppressed()).isFalse();
    }

    @Test
    void a_citation_inside_the_sentence_before_its_full_stop_counts_for_that_sentence() {
        CheckedAnswer checked = CiteOnlyCheck.apply("Manning threw no interceptions [" + A + "].", PROOF, true);

        assertThat(checked.answer()).isEqualTo("Manning threw no interceptions [" + A + "].");
        assertThat(checked.citedChunks()).containsExactly(A);
    }

    @Test
    void a_citation_of_a_chunk_never_retrieved_is_removed_and_its_sentence_suppressed() {
        String draft =
                "The Panthers allowed 308 points. [" + A + "] The league fined them twice. [" + NEVER_RETRIEVED + "]";

        CheckedAnswer checked = CiteOnlyCheck.apply(draft, PROOF, true);

        assertThat(checked.answer()).isEqualTo("The Panthers allowed 308 points. [" + A + "]");
        assertThat(checked.citedChunks()).containsExactly(A);
        assertThat(checked.invalidCitations()).isEqualTo(1);
        assertThat(checked.ungrounded()).isEqualTo(1);
        assertThat(checked.ungroundedClaims()).isEmpty();
        assertThat(checked.suppressed()).isTrue();
    }

    @Test
    void without_suppression_ungrounded_sentences_stay_and_are_listed_without_their_invalid_citations() {
        String draft = "The Panthers allowed 308 points. [" + A + "] The league fined them twice. [" + NEVER_RETRIEVED
                + "] Kuechly is the best linebacker ever.";

        CheckedAnswer checked = CiteOnlyCheck.apply(draft, PROOF, false);

        assertThat(checked.answer())
                .isEqualTo("The Panthers allowed 308 points. [" + A + "] The league fined them twice."
                        + " Kuechly is the best linebacker ever.");
        assertThat(checked.ungroundedClaims())
                .containsExactly("The league fined them twice.", "Kuechly is the best linebacker ever.");
        assertThat(checked.ungrounded()).isEqualTo(2);
        assertThat(checked.sentences()).isEqualTo(3);
        assertThat(checked.suppressed()).isFalse();
    }

    @Test
    void malformed_citations_are_not_citations_and_are_removed() {
        String draft = "Super Bowl 50 was played in 2016. [chk_NOTHEX] [chk_4e38bf] [ chk_ffffffffffffffffffffffff ]";

        CheckedAnswer checked = CiteOnlyCheck.apply(draft, PROOF, false);

        assertThat(checked.answer()).isEqualTo("Super Bowl 50 was played in 2016.");
        assertThat(checked.invalidCitations()).isEqualTo(3);
        assertThat(checked.ungroundedClaims()).containsExactly("Super Bowl 50 was played in 2016.");
        assertThat(checked.citedChunks()).isEmpty();
    }

    @Test
    void an_answer_of_citations_alone_or_empty_has_no_claims() {
        CheckedAnswer citationsOnly = CiteOnlyCheck.apply("[" + A + "] [" + B + "]", PROOF, true);
        CheckedAnswer empty = CiteOnlyCheck.apply("", PROOF, true);

        assertThat(citationsOnly.answer()).isEmpty();
        assertThat(citationsOnly.sentences()).isZero();
        assertThat(citationsOnly.citedChunks()).isEmpty();
        assertThat(empty.answer()).isEmpty();
        assertThat(empty.suppressed()).isFalse();
    }

    @Test
    void an_overlong_draft_is_an_answerer_failure() {
        String draft = "x".repeat(CiteOnlyCheck.MAX_ANSWER_CHARS + 1);

        assertThatThrownBy(() -> CiteOnlyCheck.apply(draft, PROOF, true))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ANSWERER_UNAVAILABLE));
    }
}
