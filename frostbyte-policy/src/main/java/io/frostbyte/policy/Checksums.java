package io.frostbyte.policy;

/** Check-digit and structure rules for numeric identifiers. */
final class Checksums {
    private Checksums() {}

    /** Luhn (mod 10) over the ASCII digits of {@code digits}; false if any other character is present. */
    static boolean luhn(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return digits.length() > 0 && sum % 10 == 0;
    }

    /** ISO 13616 IBAN check: 15–34 alphanumerics, country letters, two check digits, mod 97 == 1. */
    static boolean iban(CharSequence compact) {
        int length = compact.length();
        if (length < 15 || length > 34) {
            return false;
        }
        if (!isLetter(compact.charAt(0)) || !isLetter(compact.charAt(1))) {
            return false;
        }
        if (!isDigit(compact.charAt(2)) || !isDigit(compact.charAt(3))) {
            return false;
        }
        int remainder = 0;
        for (int k = 0; k < length; k++) {
            char c = compact.charAt((k + 4) % length);
            if (isDigit(c)) {
                remainder = (remainder * 10 + (c - '0')) % 97;
            } else if (isLetter(c)) {
                int value = Character.toUpperCase(c) - 'A' + 10;
                remainder = (remainder * 100 + value) % 97;
            } else {
                return false;
            }
        }
        return remainder == 1;
    }

    /** SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000. Input: 9 ASCII digits. */
    static boolean ssn(CharSequence nineDigits) {
        if (nineDigits.length() != 9) {
            return false;
        }
        for (int i = 0; i < 9; i++) {
            if (!isDigit(nineDigits.charAt(i))) {
                return false;
            }
        }
        String s = nineDigits.toString();
        String area = s.substring(0, 3);
        return !area.equals("000")
                && !area.equals("666")
                && s.charAt(0) != '9'
                && !s.substring(3, 5).equals("00")
                && !s.substring(5).equals("0000");
    }

    static String digitsOf(CharSequence text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    static String alphanumericsOf(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isDigit(c) || isLetter(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static boolean isLetterOrDigit(char c) {
        return isLetter(c) || isDigit(c);
    }
}
