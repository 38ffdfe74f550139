package io.frostbyte.policy;

import java.util.List;
import java.util.regex.Matcher;

/**
 * Positions where a match of some expression can start (its first character or literal), so that the expression is
 * tried only there: {@link Matcher#find} would try it at every position and fail at all the others, spending most of
 * its time on its look-behinds and alternatives where the text could never match.
 */
@FunctionalInterface
interface CandidateStarts {
    boolean accepts(String text, int position);

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

    /** A position holding an ASCII digit that follows no ASCII digit. */
    static boolean digitsStart(String text, int position) {
        return Checksums.isDigit(text.charAt(position))
                && (position == 0 || !Checksums.isDigit(text.charAt(position - 1)));
    }

    /** A position holding an upper-case letter ({@code \p{Lu}}). */
    static boolean upperCase(String text, int position) {
        return Character.getType(text.codePointAt(position)) == Character.UPPERCASE_LETTER;
    }

    /** A position where one of {@code literals} starts. */
    static CandidateStarts literals(List<String> literals) {
        StringBuilder firstCharacters = new StringBuilder();
        literals.forEach(literal -> firstCharacters.append(literal.charAt(0)));
        String first = firstCharacters.toString();
        return (text, position) -> {
            if (first.indexOf(text.charAt(position)) < 0) {
                return false; // most positions: no literal starts with this character
            }
            for (String literal : literals) {
                if (text.startsWith(literal, position)) {
                    return true;
                }
            }
            return false;
        };
    }
}
