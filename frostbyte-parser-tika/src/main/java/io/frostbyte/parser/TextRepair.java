package io.frostbyte.parser;

import java.text.Normalizer;
import java.util.List;

/**
 * Repairs of text as laid out on a PDF page: typographic ligatures (U+FB00–U+FB06, ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ) spelled out by
 * NFKC of those code points only (other compatibility characters such as superscripts and full-width forms are
 * kept), and words hyphenated at a line end rejoined ("infor-" + "mation" → "information") when the hyphen follows a
 * letter and the next line starts with a lower-case letter.
 */
final class TextRepair {
    private static final char FIRST_LIGATURE = '\uFB00';
    private static final char LAST_LIGATURE = '\uFB06';

    private TextRepair() {}

    /** The text with each Latin ligature code point replaced by its letters; the same string when there is none. */
    static String ligatures(String text) {
        int first = firstLigature(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 4);
        out.append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= FIRST_LIGATURE && c <= LAST_LIGATURE) {
                out.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstLigature(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= FIRST_LIGATURE && c <= LAST_LIGATURE) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The lines of one paragraph joined by {@code "\n"}, except that a line ending in a hyphen after a letter is
     * joined to a next line starting with a lower-case letter without the hyphen or the break.
     */
    static String joinLines(List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (out.isEmpty()) {
                out.append(line);
                continue;
            }
            int end = lastNonSpace(out);
            String next = line.stripLeading();
            if (end >= 1
                    && out.charAt(end) == '-'
                    && Character.isLetter(out.codePointBefore(end))
                    && !next.isEmpty()
                    && Character.isLowerCase(next.codePointAt(0))) {
                out.setLength(end);
                out.append(next);
            } else {
                out.append('\n').append(line);
            }
        }
        return out.toString();
    }

    private static int lastNonSpace(CharSequence text) {
        int i = text.length() - 1;
        while (i >= 0 && Character.isWhitespace(text.charAt(i))) {
            i--;
        }
        return i;
    }
}
