package io.frostbyte.policy;

/**
 * One-pass checks of conditions that a match of an expensive regular expression requires. Each returns false only when
 * the expression cannot match the text, so skipping the expression then changes nothing; a true answer just means the
 * expression has to run. They exist because {@code find} tries the expression's look-behinds at every position, which
 * costs far more than these loops on text (most of it) where the shape never occurs.
 */
final class RegexPrefilters {
    private RegexPrefilters() {}

    /** Digits in {@code text} (ASCII {@code 0-9}, as {@code \d} matches). */
    static int digits(CharSequence text) {
        int count = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                count++;
            }
        }
        return count;
    }

    /**
     * {@code text} with ASCII letters in lower case and every other character kept: a literal occurs in it exactly where
     * a {@code (?i)} expression (ASCII-only case folding, Java's default) would match that literal.
     */
    static String asciiLowerCase(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c >= 'A' && c <= 'Z') {
                chars[i] = (char) (c + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    /** Whether two ASCII letters are followed by two digits somewhere, as an IBAN starts ({@code [A-Za-z]{2}\d{2}}). */
    static boolean hasIbanStart(CharSequence text) {
        for (int i = 0, n = text.length() - 3; i < n; i++) {
            if (Checksums.isDigit(text.charAt(i + 3))
                    && Checksums.isDigit(text.charAt(i + 2))
                    && Checksums.isLetter(text.charAt(i + 1))
                    && Checksums.isLetter(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a space is followed by a digit somewhere ({@code " \d"}). */
    static boolean hasSpaceThenDigit(CharSequence text) {
        for (int i = 0, n = text.length() - 1; i < n; i++) {
            if (text.charAt(i) == ' ' && Checksums.isDigit(text.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} has {@code length} or more base64 characters {@code [A-Za-z0-9+/]} in a row. */
    static boolean hasBase64Run(CharSequence text, int length) {
        int run = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            boolean base64 =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            run = base64 ? run + 1 : 0;
            if (run >= length) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code pairs} letters in a row are each followed by one space and then by another letter ({@code (?:\p{L}
     * ){pairs}\p{L}}): letters written one by one.
     */
    static boolean hasSpelledOutRun(String text, int pairs) {
        int run = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            if (Character.isLetter(c)) {
                if (run >= pairs) {
                    return true;
                }
                if (i + width < n && text.charAt(i + width) == ' ') {
                    run++;
                    i += width + 1;
                    continue;
                }
            }
            run = 0;
            i += width;
        }
        return false;
    }

    /**
     * Whether three words of two or more capitals ({@code \p{Lu}}) follow each other, each of the first two ended by an
     * optional {@code [!,.?:"]} and one whitespace character: a shouted run.
     */
    static boolean hasShoutedRun(String text) {
        int words = 0; // words of capitals joined so far, the current one not included
        int capitals = 0; // capitals in the current word
        boolean afterPunctuation = false;
        boolean afterSeparator = false;
        for (int i = 0, n = text.length(); i < n; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.getType(c) == Character.UPPERCASE_LETTER) {
                if (afterPunctuation) {
                    words = 0;
                }
                if (afterPunctuation || afterSeparator) {
                    capitals = 0;
                }
                afterPunctuation = false;
                afterSeparator = false;
                capitals++;
                if (capitals >= 2 && words >= 2) {
                    return true;
                }
                continue;
            }
            if (capitals >= 2) {
                words++;
                capitals = 0;
                if (isShoutPunctuation(c)) {
                    afterPunctuation = true;
                    continue;
                }
            }
            if ((capitals == 0 || afterPunctuation) && isRegexSpace(c) && words > 0 && !afterSeparator) {
                afterPunctuation = false;
                afterSeparator = true;
                continue;
            }
            words = 0;
            capitals = 0;
            afterPunctuation = false;
            afterSeparator = false;
        }
        return false;
    }

    private static boolean isShoutPunctuation(int c) {
        return c == '!' || c == ',' || c == '.' || c == '?' || c == ':' || c == '"';
    }

    /** {@code \s} without flags: {@code [ \t\n\x0B\f\r]}. */
    private static boolean isRegexSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
