package io.frostbyte.core.answer;

import io.frostbyte.core.FrostbyteException;
import java.util.Optional;

/**
 * Writes an answer to a query from the chunks a search retrieved, citing them as {@code [chk_…]} after each sentence
 * (spec/05 §5.5). The answer is a draft: the caller always runs {@link CiteOnlyCheck} over it before anyone sees it, so
 * an answerer that cites unretrieved chunks or writes uncited claims is contained there, not here.
 *
 * <p>Implementations are thread-safe, never log the query, the chunks or the answer, and bound their own time.
 */
public interface AnswerModel {
    /** The deployment's {@code generation.answerer}: {@code extractive} or {@code openai}. */
    String answerer();

    /** The language model's name, empty for an answerer that uses none. */
    Optional<String> model();

    /**
     * The draft answer; {@code ""} when the chunks hold nothing to say.
     *
     * @throws FrostbyteException {@code ANSWERER_UNAVAILABLE} when the answerer cannot answer now (unreachable,
     *     timed out, refused, malformed reply); the search response then carries the retrieval without an answer
     */
    String answer(AnswerRequest request);
}
