package io.frostbyte.core.answer;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sentence segmentation with the JDK's Unicode (UAX #29) sentence rules, the rules ICU applies; segments keep their
 * text as written, only trimmed, and blank ones are dropped.
 */
final class Sentences {
    private Sentences() {}

    static List<String> split(String text) {
        BreakIterator boundaries = BreakIterator.getSentenceInstance(Locale.ROOT);
        boundaries.setText(text);
        List<String> sentences = new ArrayList<>();
        int start = boundaries.first();
        for (int end = boundaries.next(); end != BreakIterator.DONE; start = end, end = boundaries.next()) {
            String sentence = text.substring(start, end).strip();
            if (!sentence.isEmpty()) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }
}
