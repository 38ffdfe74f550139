package io.frostbyte.core.answer;

/**
 * How long an answer may be (spec/05 §5.5).
 *
 * @param maxTokens most tokens a language model may generate ({@code generation.max_tokens}), 1 to 8192
 * @param maxSentences most sentences the extractive answerer takes, 1 to 20
 */
public record AnswerSettings(int maxTokens, int maxSentences) {
    /** 800 tokens, 3 sentences. */
    public static final AnswerSettings DEFAULTS = new AnswerSettings(800, 3);

    public AnswerSettings {
        if (maxTokens < 1 || maxTokens > 8192) {
            throw new IllegalArgumentException("maxTokens must be in [1, 8192]: " + maxTokens);
        }
        if (maxSentences < 1 || maxSentences > 20) {
            throw new IllegalArgumentException("maxSentences must be in [1, 20]: " + maxSentences);
        }
    }
}
