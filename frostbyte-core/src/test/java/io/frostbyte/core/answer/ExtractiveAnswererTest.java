package io.frostbyte.core.answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.proof.ProofFixtures;
import io.frostbyte.core.proof.XquadCorpus;
import io.frostbyte.core.proof.XquadCorpus.Question;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The extractive answerer over real XQuAD passages, retrieved as chunks with their gold passage among distractors. */
class ExtractiveAnswererTest {
    private final ExtractiveAnswerer answerer = new ExtractiveAnswerer();
    private final Map<String, String> passages = XquadCorpus.passages();
    private final List<String> passageIds = List.copyOf(passages.keySet());

    /** The gold passage at {@code goldRank} (0-based) among the passages that follow it in the file. */
    private List<RetrievedChunk> retrieved(String goldId, int count, int goldRank) {
        int gold = passageIds.indexOf(goldId);
        List<RetrievedChunk> chunks = new ArrayList<>();
        for (int i = 1; chunks.size() < count - 1; i++) {
            String text = passages.get(passageIds.get((gold + i) % passageIds.size()));
            chunks.add(new RetrievedChunk(ProofFixtures.chunkId(text), text));
        }
        String text = passages.get(goldId);
        chunks.add(goldRank, new RetrievedChunk(ProofFixtures.chunkId(text), text));
        return chunks;
    }

    @Test
    void answers_a_question_with_the_sentence_holding_the_answer_cited_to_its_chunk() {
        Question question = XquadCorpus.questions().getFirst();
        List<RetrievedChunk> chunks = retrieved(question.passageId(), 3, 1);
        String gold = chunks.get(1).chunkId();

        String answer = answerer.answer(new AnswerRequest(question.text(), chunks, AnswerSettings.DEFAULTS));

        assertThat(question.text()).isEqualTo("How many points did the Panthers defense surrender?");
        // three best sentences by BM25, written in chunk rank order: the distractor at rank 1 scores on "points"
        assertThat(answer)
                .isEqualTo("The Broncos defeated the Pittsburgh Steelers in the divisional round, 23–16, by scoring 11"
                        + " points in the final three minutes of the game. ["
                        + chunks.get(0).chunkId() + "]"
                        + " The Panthers defense gave up just 308 points, ranking sixth in the league, while also"
                        + " leading the NFL in interceptions with 24 and boasting four Pro Bowl selections. [" + gold
                        + "] Behind them, two of the Panthers three starting linebackers were also selected to play"
                        + " in the Pro Bowl: Thomas Davis and Luke Kuechly. [" + gold + "]");
        CheckedAnswer checked = CiteOnlyCheck.apply(
                answer, chunks.stream().map(RetrievedChunk::chunkId).collect(Collectors.toSet()), true);
        assertThat(checked.answer()).isEqualTo(answer);
        assertThat(checked.ungrounded()).isZero();
        assertThat(checked.sentences()).isBetween(1, 3);
        assertThat(checked.citedChunks()).contains(gold);
    }

    @Test
    void finds_the_gold_answer_for_most_xquad_questions_and_always_passes_the_cite_check() {
        List<Question> questions = XquadCorpus.questions().subList(0, 400);
        int found = 0;
        for (Question question : questions) {
            List<RetrievedChunk> chunks = retrieved(question.passageId(), 5, questions.indexOf(question) % 5);
            Set<String> ids = chunks.stream().map(RetrievedChunk::chunkId).collect(Collectors.toSet());

            String answer = answerer.answer(new AnswerRequest(question.text(), chunks, AnswerSettings.DEFAULTS));

            CheckedAnswer checked = CiteOnlyCheck.apply(answer, ids, true);
            assertThat(checked.answer()).isEqualTo(answer);
            assertThat(checked.ungrounded()).isZero();
            assertThat(checked.sentences()).isBetween(1, 3);
            if (answer.contains(question.answer())) {
                found++;
            }
        }
        // 365 of 400 when written; the gold passage is always among the five chunks
        assertThat(found).isGreaterThanOrEqualTo(360);
    }

    @Test
    void the_same_request_always_gives_the_same_answer() {
        Question question = XquadCorpus.questions().get(7);
        AnswerRequest request =
                new AnswerRequest(question.text(), retrieved(question.passageId(), 5, 4), AnswerSettings.DEFAULTS);

        assertThat(answerer.answer(request)).isEqualTo(answerer.answer(request)).isNotEmpty();
    }

    @Test
    void a_query_sharing_no_term_with_the_chunks_gets_an_empty_answer() {
        List<RetrievedChunk> chunks = retrieved(passageIds.getFirst(), 3, 0);

        String answer = answerer.answer(new AnswerRequest("zzyzx quokka", chunks, AnswerSettings.DEFAULTS));

        assertThat(answer).isEmpty();
    }

    @Test
    void citation_like_tokens_planted_in_a_chunk_are_dropped_so_it_cannot_cite_another_chunk() {
        String other = "chk_ffffffffffffffffffffffff";
        String text = "The Panthers defense gave up just 308 points [" + other + "]. Nothing else matters.";
        RetrievedChunk chunk = new RetrievedChunk(ProofFixtures.chunkId(text), text);

        String answer = answerer.answer(new AnswerRequest(
                "How many points did the Panthers give up?", List.of(chunk), AnswerSettings.DEFAULTS));

        assertThat(answer).isEqualTo("The Panthers defense gave up just 308 points . [" + chunk.chunkId() + "]");
    }
}
