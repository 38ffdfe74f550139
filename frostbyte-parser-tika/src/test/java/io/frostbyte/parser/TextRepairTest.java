package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextRepairTest {
    @Test
    void latin_ligatures_are_spelled_out_and_other_compatibility_characters_are_kept() {
        assertThat(TextRepair.ligatures("\uFB01nal e\uFB00ort, \uFB02ow, o\uFB03ce, \uFB04"))
                .isEqualTo("final effort, flow, office, ffl");
        assertThat(TextRepair.ligatures("x\u00B2 \uFF21 \u2460")).isEqualTo("x\u00B2 \uFF21 \u2460");
    }

    @Test
    void a_word_hyphenated_at_a_line_end_is_rejoined_when_the_next_line_starts_lower_case() {
        assertThat(TextRepair.joinLines(List.of("the infor-", "mation is kept")))
                .isEqualTo("the information is kept");
        assertThat(TextRepair.joinLines(List.of("child witness- ", "  es or suspects")))
                .isEqualTo("child witnesses or suspects");
    }

    @Test
    void a_hyphen_is_kept_before_a_capital_a_digit_or_after_a_non_letter() {
        assertThat(TextRepair.joinLines(List.of("pre-", "Columbian"))).isEqualTo("pre-\nColumbian");
        assertThat(TextRepair.joinLines(List.of("pages 10-", "12 and"))).isEqualTo("pages 10-\n12 and");
        assertThat(TextRepair.joinLines(List.of("COVID-", "19 cases"))).isEqualTo("COVID-\n19 cases");
        assertThat(TextRepair.joinLines(List.of("a list", "- item"))).isEqualTo("a list\n- item");
        assertThat(TextRepair.joinLines(List.of("-", "x"))).isEqualTo("-\nx");
    }
}
