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
        int[] s = new int[16];
        int[] e = new int[16];
        int n = 0;
        Matcher m = cue.matcher(text);
        while (m.find()) {
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
