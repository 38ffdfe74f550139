package io.frostbyte.policy;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Positions (UTF-16) of every match of a context-word pattern in one text, found in one linear pass, so that "is there a
 * cue within N characters" is a binary search.
 */
final class ContextIndex {
    private final int[] starts;
    private final int[] ends;
    private final int size;

    ContextIndex(Pattern cue, CharSequence text) {
        this(cue, text, null);
    }

    /**
     * For a case-insensitive cue that starts with {@code (?<![a-z])} and then one of {@code firstLetters} (lower case):
     * it is tried only where a word starts with one of them. That finds exactly the matches of {@code find}, which
     * would try it at every position and fail at all the others, at a fraction of the cost.
     */
    static ContextIndex atWordStarts(Pattern cue, CharSequence text, String firstLetters) {
        boolean[] first = new boolean[128];
        for (char c : firstLetters.toCharArray()) {
            first[c] = true;
            first[Character.toUpperCase(c)] = true;
        }
        return new ContextIndex(cue, text, first);
    }

    private ContextIndex(Pattern cue, CharSequence text, boolean[] firstLetters) {
        int[] s = new int[16];
        int[] e = new int[16];
        int n = 0;
        Matcher m = cue.matcher(text).useTransparentBounds(true);
        int from = 0;
        while (firstLetters == null ? m.find() : (from = nextMatch(m, text, from, firstLetters)) >= 0) {
            if (n == s.length) {
                s = Arrays.copyOf(s, n * 2);
                e = Arrays.copyOf(e, n * 2);
            }
            s[n] = m.start();
            e[n] = m.end();
            n++;
        }
        this.starts = s;
        this.ends = e;
        this.size = n;
    }

    /**
     * Tries the cue at each word start from {@code from} on, as {@code find} would at each position; returns where to
     * look for the next match after the one found (the matcher holds it), or -1 when there is none.
     */
    private static int nextMatch(Matcher m, CharSequence text, int from, boolean[] firstLetters) {
        int length = text.length();
        for (int at = nextWordStart(text, from, firstLetters); at < length; ) {
            m.region(at, length);
            if (m.lookingAt()) {
                return Math.max(m.end(), at + 1);
            }
            at = nextWordStart(text, at + 1, firstLetters);
        }
        return -1;
    }

    /** The first position at or after {@code from} that holds one of the letters and follows no ASCII letter. */
    private static int nextWordStart(CharSequence text, int from, boolean[] letters) {
        int length = text.length();
        for (int i = from; i < length; i++) {
            char c = text.charAt(i);
            if (c < 128 && letters[c] && (i == 0 || !Checksums.isLetter(text.charAt(i - 1)))) {
                return i;
            }
        }
        return length;
    }

    /** Start and end of each match, in text order: {@code [start0, end0, start1, end1, …]}. */
    int[] bounds() {
        int[] bounds = new int[2 * size];
        for (int i = 0; i < size; i++) {
            bounds[2 * i] = starts[i];
            bounds[2 * i + 1] = ends[i];
        }
        return bounds;
    }

    /** True if a cue lies, even partly, within {@code before} characters before {@code start} or {@code after} after {@code end}. */
    boolean near(int start, int end, int before, int after) {
        int from = start - before;
        int to = end + after;
        // first cue whose end is > from; cues do not overlap, so ends are sorted like starts
        int i = Arrays.binarySearch(ends, 0, size, from + 1);
        if (i < 0) {
            i = -i - 1;
        }
        return i < size && starts[i] < to;
    }

    /** End of the last cue that ends at or before {@code position} and within {@code distance} of it, or -1. */
    int cueEndingBefore(int position, int distance) {
        int i = Arrays.binarySearch(ends, 0, size, position + 1);
        if (i < 0) {
            i = -i - 1;
        }
        i--;
        return i >= 0 && ends[i] >= position - distance ? ends[i] : -1;
    }
}
