package io.frostbyte.core.index;

import static java.util.Objects.requireNonNull;

import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code fb-standard-1} analyzer on the JDK alone (spec/04 §4.3): NFKC, Unicode word segmentation, lower case, no
 * stemming, no stop words. Adapters without an analyzer of their own (Qdrant's sparse {@code bm25} vector, the
 * in-memory fake) compute their terms here.
 */
public final class KeywordTerms {
    /** The analyzer's name, recorded with each index generation. */
    public static final String ANALYZER = "fb-standard-1";

    /** Longest term kept; longer runs (base64, hashes) are dropped rather than indexed. */
    public static final int MAX_TERM_CHARS = 255;

    private KeywordTerms() {}

    /** The terms of {@code text} in order, with repeats, at most {@code maxTerms} of them. */
    public static List<String> terms(String text, int maxTerms) {
        requireNonNull(text, "text is null");
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC);
        BreakIterator words = BreakIterator.getWordInstance(Locale.ROOT);
        words.setText(normalized);
        List<String> terms = new ArrayList<>();
        int start = words.first();
        for (int end = words.next();
                end != BreakIterator.DONE && terms.size() < maxTerms;
                start = end, end = words.next()) {
            String word = normalized.substring(start, end);
            if (end - start <= MAX_TERM_CHARS && word.codePoints().anyMatch(Character::isLetterOrDigit)) {
                terms.add(word.toLowerCase(Locale.ROOT));
            }
        }
        return terms;
    }
}
