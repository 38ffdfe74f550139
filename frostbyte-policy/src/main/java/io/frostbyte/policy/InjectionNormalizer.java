package io.frostbyte.policy;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Matching form of spec/03 §3.4: NFKC, invisible and bidi characters removed, Cyrillic/Greek homoglyphs folded to
 * Latin, lower case, typographic quotes and dashes made ASCII, whitespace runs collapsed (a run with a line break
 * becomes one line break). What was removed or folded is kept as markers at positions of the normalized text.
 */
final class InjectionNormalizer {
    private static final Map<Integer, Character> HOMOGLYPHS = homoglyphs();
    /** Every homoglyph is Greek or Cyrillic; below this code point none is (no map lookup for Latin text). */
    private static final int FIRST_HOMOGLYPH =
            HOMOGLYPHS.keySet().stream().mapToInt(Integer::intValue).min().orElseThrow();

    private InjectionNormalizer() {}

    /** A marker category at a position of the normalized text. */
    record Marker(InjectionCategory category, int position) {}

    /**
     * @param text lower-cased matching form
     * @param cased the same characters before lower-casing (for case-sensitive payloads such as base64)
     * @param invisible positions where an invisible character was removed (for the per-window ratio)
     */
    record Normalized(String text, String cased, List<Marker> markers, int[] invisible, int invisibleCount) {}

    static Normalized normalize(String raw) {
        String nfkc = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        StringBuilder lower = new StringBuilder(nfkc.length());
        StringBuilder cased = new StringBuilder(nfkc.length());
        List<Marker> markers = new ArrayList<>();
        int[] invisible = new int[16];
        int invisibleCount = 0;
        int wordStart = -1;
        boolean wordLatin = false;
        boolean wordForeign = false;
        int wordLetters = 0;
        int wordFolded = 0;
        StringBuilder wordOriginal = new StringBuilder();
        boolean pendingSpace = false;
        boolean pendingBreak = false;
        int previous = -1;
        for (int i = 0; i < nfkc.length(); ) {
            int c = nfkc.codePointAt(i);
            int width = Character.charCount(c);
            int next = i + width < nfkc.length() ? nfkc.codePointAt(i + width) : -1;
            if (isTag(c)
                    || isBidi(c)
                    || (isInvisible(c) && !(c == 0xFEFF && i == 0) && !joinerExempt(c, previous, next))) {
                if (isTag(c)) {
                    markers.add(new Marker(InjectionCategory.TAG_CHARACTERS, lower.length()));
                } else if (isBidi(c)) {
                    markers.add(new Marker(InjectionCategory.BIDI_CONTROL, lower.length()));
                }
                if (previous >= 0 && Character.isLetter(previous) && next >= 0 && Character.isLetter(next)) {
                    markers.add(new Marker(InjectionCategory.INVISIBLE_CHARS, lower.length()));
                }
                if (invisibleCount == invisible.length) {
                    invisible = java.util.Arrays.copyOf(invisible, invisibleCount * 2);
                }
                invisible[invisibleCount++] = lower.length();
                i += width;
                continue;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                if (wordStart >= 0) {
                    endWord(markers, wordStart, wordLatin, wordForeign, wordLetters);
                    unfold(lower, cased, wordStart, wordLatin, wordFolded, wordLetters, wordOriginal);
                    wordStart = -1;
                }
                pendingSpace = true;
                pendingBreak |= c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
                previous = c;
                i += width;
                continue;
            }
            if (pendingSpace) {
                char separator = pendingBreak ? '\n' : ' ';
                lower.append(separator);
                cased.append(separator);
                pendingSpace = false;
                pendingBreak = false;
            }
            if (Character.isLetter(c)) {
                if (wordStart < 0) {
                    wordStart = lower.length();
                    wordLatin = false;
                    wordForeign = false;
                    wordLetters = 0;
                    wordFolded = 0;
                    wordOriginal.setLength(0);
                }
                // an ASCII letter is Latin: spares the script lookup for most letters
                Character.UnicodeScript script =
                        c < 0x80 ? Character.UnicodeScript.LATIN : Character.UnicodeScript.of(c);
                wordLatin |= script == Character.UnicodeScript.LATIN;
                wordForeign |= script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.GREEK;
                wordLetters++;
            } else if (wordStart >= 0) {
                endWord(markers, wordStart, wordLatin, wordForeign, wordLetters);
                unfold(lower, cased, wordStart, wordLatin, wordFolded, wordLetters, wordOriginal);
                wordStart = -1;
            }
            char folded = homoglyph(c);
            if (folded != 0) {
                lower.append(folded);
                cased.append(folded);
                if (wordStart >= 0) {
                    wordFolded++;
                    wordOriginal.appendCodePoint(c);
                }
            } else {
                if (wordStart >= 0) {
                    wordOriginal.appendCodePoint(c);
                }
                int mapped = punctuation(c);
                lower.appendCodePoint(Character.toLowerCase(mapped));
                cased.appendCodePoint(mapped);
            }
            previous = c;
            i += width;
        }
        if (wordStart >= 0) {
            endWord(markers, wordStart, wordLatin, wordForeign, wordLetters);
            unfold(lower, cased, wordStart, wordLatin, wordFolded, wordLetters, wordOriginal);
        }
        return new Normalized(lower.toString(), cased.toString(), markers, invisible, invisibleCount);
    }

    /** The Latin letter a Cyrillic or Greek look-alike folds to, or 0. */
    private static char homoglyph(int c) {
        if (c < FIRST_HOMOGLYPH) {
            return 0;
        }
        Character folded = HOMOGLYPHS.get(c);
        return folded == null ? 0 : folded;
    }

    private static void endWord(List<Marker> markers, int start, boolean latin, boolean foreign, int letters) {
        if (latin && foreign && letters >= 3) {
            markers.add(new Marker(InjectionCategory.HOMOGLYPH, start));
        }
    }

    /**
     * Homoglyphs are folded only in a word that mixes Latin with them, or consists of them alone ("Іgnore", "орen",
     * "сору"); a genuinely Cyrillic or Greek word ("забудьте") keeps its letters so that its own patterns can match.
     */
    private static void unfold(
            StringBuilder lower,
            StringBuilder cased,
            int start,
            boolean latin,
            int folded,
            int letters,
            StringBuilder original) {
        if (folded == 0 || latin || folded == letters || original.length() != lower.length() - start) {
            return;
        }
        String restored = original.toString();
        cased.replace(start, cased.length(), restored);
        lower.replace(start, lower.length(), restored.toLowerCase(java.util.Locale.ROOT));
    }

    static boolean isTag(int c) {
        return c >= 0xE0000 && c <= 0xE007F;
    }

    static boolean isBidi(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    static boolean isInvisible(int c) {
        return c == 0x00AD
                || c == 0x034F
                || c == 0x061C
                || c == 0x115F
                || c == 0x1160
                || c == 0x17B4
                || c == 0x17B5
                || c == 0x180E
                || (c >= 0x200B && c <= 0x200F)
                || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2060 && c <= 0x2064)
                || (c >= 0x2066 && c <= 0x206F)
                || c == 0x3164
                || c == 0xFEFF
                || c == 0xFFA0
                || isTag(c);
    }

    /** ZWNJ/ZWJ shape Arabic, Indic scripts and emoji sequences: legitimate there. */
    private static boolean joinerExempt(int c, int previous, int next) {
        if (c != 0x200C && c != 0x200D) {
            return false;
        }
        return shapedScript(previous) || shapedScript(next);
    }

    private static boolean shapedScript(int c) {
        if (c < 0) {
            return false;
        }
        if (c >= 0x1F000 || (c >= 0x2600 && c <= 0x27BF) || c == 0xFE0F) {
            return true;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return switch (script) {
            case ARABIC,
                    SYRIAC,
                    DEVANAGARI,
                    BENGALI,
                    GURMUKHI,
                    GUJARATI,
                    ORIYA,
                    TAMIL,
                    TELUGU,
                    KANNADA,
                    MALAYALAM,
                    SINHALA -> true;
            default -> false;
        };
    }

    private static int punctuation(int c) {
        return switch (c) {
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x0060, 0x00B4 -> '\'';
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x00AB, 0x00BB, 0x2033 -> '"';
            case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212 -> '-';
            default -> c;
        };
    }

    private static Map<Integer, Character> homoglyphs() {
        String[] pairs = {
            // Cyrillic lower, upper
            "а a",
            "в b",
            "е e",
            "ё e",
            "і i",
            "ї i",
            "ј j",
            "к k",
            "м m",
            "н h",
            "о o",
            "р p",
            "с c",
            "т t",
            "у y",
            "х x",
            "ѕ s",
            "ԁ d",
            "ԛ q",
            "ԝ w",
            "һ h",
            "ӏ l",
            "А a",
            "В b",
            "Е e",
            "Ё e",
            "І i",
            "Ї i",
            "Ј j",
            "К k",
            "М m",
            "Н h",
            "О o",
            "Р p",
            "С c",
            "Т t",
            "У y",
            "Х x",
            "Ѕ s",
            "Ԁ d",
            "Ԛ q",
            "Ԝ w",
            "Һ h",
            "Ӏ l",
            // Greek lower, upper
            "α a",
            "β b",
            "ε e",
            "ι i",
            "κ k",
            "ν v",
            "ο o",
            "ρ p",
            "τ t",
            "υ u",
            "χ x",
            "γ y",
            "Α a",
            "Β b",
            "Ε e",
            "Ζ z",
            "Η h",
            "Ι i",
            "Κ k",
            "Μ m",
            "Ν n",
            "Ο o",
            "Ρ p",
            "Τ t",
            "Υ y",
            "Χ x"
        };
        Map<Integer, Character> map = new java.util.HashMap<>();
        for (String pair : pairs) {
            map.put(pair.codePointAt(0), pair.charAt(pair.length() - 1));
        }
        return Map.copyOf(map);
    }
}
