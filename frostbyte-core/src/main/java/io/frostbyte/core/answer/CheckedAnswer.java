package io.frostbyte.core.answer;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An answer after the cite-only check (spec/05 SRV-7), with the counts GENERATION_EXECUTED records.
 *
 * @param answer the answer as served: grounded sentences (and, when not suppressing, ungrounded ones), invalid
 *     citations removed
 * @param citedChunks distinct valid citations in order of first use
 * @param ungroundedClaims the ungrounded sentences left in the answer; empty when they were suppressed
 * @param suppressed whether ungrounded sentences were removed
 * @param sentences sentences in the draft
 * @param ungrounded sentences in the draft with no valid citation
 * @param invalidCitations citations removed because they named no chunk of the proof or were malformed
 */
public record CheckedAnswer(
        String answer,
        List<String> citedChunks,
        List<String> ungroundedClaims,
        boolean suppressed,
        int sentences,
        int ungrounded,
        int invalidCitations) {
    public CheckedAnswer {
        requireNonNull(answer, "answer is null");
        citedChunks = List.copyOf(requireNonNull(citedChunks, "citedChunks is null"));
        ungroundedClaims = List.copyOf(requireNonNull(ungroundedClaims, "ungroundedClaims is null"));
        if (sentences < 0 || ungrounded < 0 || invalidCitations < 0 || ungrounded > sentences) {
            throw new IllegalArgumentException("counts must be 0 <= ungrounded <= sentences and invalidCitations >= 0");
        }
        if (suppressed && !ungroundedClaims.isEmpty()) {
            throw new IllegalArgumentException("a suppressing check leaves no ungrounded claims");
        }
    }
}
