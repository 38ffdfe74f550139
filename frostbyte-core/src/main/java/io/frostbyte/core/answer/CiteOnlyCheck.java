package io.frostbyte.core.answer;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The cite-only check every answer passes before it is served (spec/05 SRV-7), whichever answerer wrote it:
 *
 * <ol>
 *   <li>the answer is split into sentences; a run of citations at the start of a sentence belongs to the one before;
 *   <li>a citation is valid when it is well-formed ({@code [chk_} + 24 hex {@code ]}) and names a chunk of the proof;
 *       every other citation-like token ({@code [chk_…]}) is removed and counted;
 *   <li>a sentence without a valid citation is ungrounded: removed when suppressing ({@code
 *       generation_suppress_ungrounded}, default), otherwise kept and listed;
 *   <li>{@code cited_chunks} are the distinct valid citations of the kept sentences in order of first use.
 * </ol>
 *
 * Pure and thread-safe.
 */
public final class CiteOnlyCheck {
    /** Longest draft checked; 800 tokens are a few thousand chars, so more means a misbehaving answerer. */
    public static final int MAX_ANSWER_CHARS = 200_000;

    private CiteOnlyCheck() {}

    /**
     * @param draft the answerer's text
     * @param provenChunkIds the chunk ids of the signed proof
     * @param suppressUngrounded the tenant's {@code generation_suppress_ungrounded}
     * @throws FrostbyteException {@code ANSWERER_UNAVAILABLE} when the draft is over {@value #MAX_ANSWER_CHARS} chars
     */
    public static CheckedAnswer apply(String draft, Set<String> provenChunkIds, boolean suppressUngrounded) {
        requireNonNull(draft, "draft is null");
        requireNonNull(provenChunkIds, "provenChunkIds is null");
        if (draft.length() > MAX_ANSWER_CHARS) {
            throw new FrostbyteException(
                    ErrorCode.ANSWERER_UNAVAILABLE,
                    "the answerer returned " + draft.length() + " chars, over " + MAX_ANSWER_CHARS);
        }
        List<String> claims = claims(draft);
        Set<String> cited = new LinkedHashSet<>();
        List<String> kept = new ArrayList<>();
        List<String> ungroundedClaims = new ArrayList<>();
        int ungrounded = 0;
        int invalid = 0;
        for (String claim : claims) {
            StringBuilder text = new StringBuilder();
            List<String> valid = new ArrayList<>();
            Matcher citation = Citations.ANY.matcher(claim);
            int last = 0;
            while (citation.find()) {
                text.append(claim, last, citation.start());
                last = citation.end();
                Matcher wellFormed = Citations.VALID.matcher(citation.group());
                if (wellFormed.matches() && provenChunkIds.contains(wellFormed.group(1))) {
                    valid.add(wellFormed.group(1));
                    text.append(citation.group());
                } else {
                    invalid++;
                }
            }
            text.append(claim, last, claim.length());
            String sentence = text.toString().replaceAll("[ \\t]{2,}", " ").strip();
            if (valid.isEmpty()) {
                ungrounded++;
                if (suppressUngrounded) {
                    continue;
                }
                ungroundedClaims.add(sentence);
            }
            cited.addAll(valid);
            kept.add(sentence);
        }
        return new CheckedAnswer(
                String.join(" ", kept),
                List.copyOf(cited),
                ungroundedClaims,
                suppressUngrounded && ungrounded > 0,
                claims.size(),
                ungrounded,
                invalid);
    }

    /** Sentences with their trailing citation runs attached; a sentence of citations alone is no claim. */
    private static List<String> claims(String draft) {
        List<String> claims = new ArrayList<>();
        for (String sentence : Sentences.split(draft)) {
            Matcher leading = Citations.LEADING_GROUP.matcher(sentence);
            String rest = sentence;
            if (leading.find() && !claims.isEmpty()) {
                claims.add(claims.removeLast() + " " + leading.group().strip());
                rest = sentence.substring(leading.end());
            }
            if (!Citations.ANY.matcher(rest).replaceAll("").isBlank()) {
                claims.add(rest);
            }
        }
        return claims;
    }
}
