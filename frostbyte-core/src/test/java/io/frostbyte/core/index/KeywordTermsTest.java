package io.frostbyte.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeywordTermsTest {
    @Test
    void folds_width_and_case_and_drops_punctuation_without_stemming() {
        assertThat(KeywordTerms.terms("Ｉｎｖｏｉｃｅ 4711: Payments, DUE!", 10))
                .containsExactly("invoice", "4711", "payments", "due");
    }

    @Test
    void stops_at_the_term_limit() {
        assertThat(KeywordTerms.terms("a b c d e", 3)).containsExactly("a", "b", "c");
    }
}
