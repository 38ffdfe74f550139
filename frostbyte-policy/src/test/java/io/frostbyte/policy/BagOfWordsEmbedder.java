package io.frostbyte.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic toy embedding for tests: one dimension per vocabulary word, counting occurrences. Words outside the
 * vocabulary are ignored.
 */
final class BagOfWordsEmbedder implements TextEmbedder {
    private final Map<String, Integer> vocabulary = new TreeMap<>();

    BagOfWordsEmbedder(List<String> words) {
        for (String word : words) {
            vocabulary.putIfAbsent(word, vocabulary.size());
        }
    }

    @Override
    public float[][] embed(List<String> texts) {
        float[][] vectors = new float[texts.size()][vocabulary.size()];
        for (int t = 0; t < texts.size(); t++) {
            for (String token : texts.get(t).toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
                Integer index = vocabulary.get(token);
                if (index != null) {
                    vectors[t][index]++;
                }
            }
        }
        return vectors;
    }
}
