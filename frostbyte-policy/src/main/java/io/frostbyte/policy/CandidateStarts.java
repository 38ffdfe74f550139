package io.frostbyte.policy;

import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;

/**
 * Positions where a match of some expression can start (its first character or literal), so that the expression is
 * tried only there: {@link Matcher#find} would try it at every position and fail at all the others, spending most of
 * its time on its look-behinds and alternatives where the text could never match.
 *
 * <p>A position is a candidate when its character is one a match can start with, the character before it (if any) is
 * not one the expression's look-behind refuses, and an optional further {@link Check} accepts it. The first two are
 * tables, so the loop over the text costs two look-ups per position; the check, a call the JIT cannot inline when many
 * kinds of start share {@link #find}, runs only where both pass.
 *
 * <p>Immutable and thread-safe.
 */
final class CandidateStarts {
    /** A further test of a position whose character and predecessor passed the tables. */
    @FunctionalInterface
    interface Check {
        boolean accepts(String text, int position);
    }

    /** A position holding an ASCII digit that follows no ASCII digit. */
    static final CandidateStarts DIGITS = of(c -> Checksums.isDigit((char) c), c -> Checksums.isDigit((char) c), null);

    /**
     * An upper-case letter ({@code \p{Lu}}) after no letter and no ASCII digit: where an expression that begins
     * {@code (?<![\p{L}\d])\p{Lu}} can start. Only a preceding BMP letter or digit is ruled out, which the look-behind
     * refuses in any case; a preceding surrogate is left to the expression. A high surrogate may start a supplementary
     * capital, so it is checked as a code point.
     */
    static final CandidateStarts UPPER_CASE_WORDS = of(
            c -> Character.getType(c) == Character.UPPERCASE_LETTER || Character.isHighSurrogate((char) c),
            c -> Checksums.isDigit((char) c) || Character.isLetter(c),
            CandidateStarts::upperCase);

    private final BitSet first;
    private final BitSet notAfter;
    private final Check check;

    private CandidateStarts(BitSet first, BitSet notAfter, Check check) {
        this.first = first;
        this.notAfter = notAfter;
        this.check = check;
    }

    /**
     * @param first whether a match can start with a character
     * @param notAfter whether a character before a match is refused (its look-behind); a superset of what the
     *     expression refuses would drop matches, so it must name only characters the expression refuses too
     * @param check a further test, or null
     */
    static CandidateStarts of(IntPredicate first, IntPredicate notAfter, Check check) {
        return new CandidateStarts(table(first), table(notAfter), check);
    }

    private static BitSet table(IntPredicate predicate) {
        BitSet table = new BitSet(Character.MAX_VALUE + 1);
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            if (predicate.test(c)) {
                table.set(c);
            }
        }
        return table;
    }

    /** Whether a match can start at {@code position}. */
    boolean accepts(String text, int position) {
        return first.get(text.charAt(position))
                && (position == 0 || !notAfter.get(text.charAt(position - 1)))
                && (check == null || check.accepts(text, position));
    }

    /**
     * The next match at or after {@code from}, as {@code m.find()} from there would find it, when every match of the
     * expression starts at an accepted position: each accepted position is tried in order with {@code lookingAt} over
     * the rest of the text (transparent, non-anchoring bounds: look-behinds see what precedes it, {@code ^} does not
     * match at the region's start).
     *
     * @return whether a match was found; {@code m} then holds it
     */
    static boolean find(Matcher m, String text, int from, CandidateStarts starts) {
        m.useTransparentBounds(true).useAnchoringBounds(false);
        int length = text.length();
        for (int at = from; at < length; at++) {
            if (starts.accepts(text, at)) {
                m.region(at, length);
                if (m.lookingAt()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where to look for the match after the one {@code m} holds, as {@code find} does. */
    static int after(Matcher m) {
        return m.end() == m.start() ? m.end() + 1 : m.end();
    }

    /** A position holding an upper-case letter ({@code \p{Lu}}). */
    static boolean upperCase(String text, int position) {
        return Character.getType(text.codePointAt(position)) == Character.UPPERCASE_LETTER;
    }

    /**
     * A position holding one of {@code lowerCaseLetters} in either case and following no ASCII letter: where a
     * case-insensitive expression that begins {@code (?<![a-z])} and then one of those letters can start ({@code (?i)}
     * folds ASCII letters only, unless {@code UNICODE_CASE} is set).
     */
    static CandidateStarts asciiWordStarts(String lowerCaseLetters) {
        return of(
                c -> c < 128 && lowerCaseLetters.indexOf(Character.toLowerCase(c)) >= 0,
                c -> Checksums.isLetter((char) c),
                null);
    }

    /** A position where one of {@code literals} starts. */
    static CandidateStarts literals(List<String> literals) {
        StringBuilder firstCharacters = new StringBuilder();
        literals.forEach(literal -> firstCharacters.append(literal.charAt(0)));
        String first = firstCharacters.toString();
        return of(c -> first.indexOf(c) >= 0, c -> false, (text, position) -> {
            for (String literal : literals) {
                if (text.startsWith(literal, position)) {
                    return true;
                }
            }
            return false;
        });
    }
}
