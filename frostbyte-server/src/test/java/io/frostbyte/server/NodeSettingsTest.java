package io.frostbyte.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.answer.AnswerSettings;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.server.config.ConfigLoader;
import io.frostbyte.server.config.EffectiveConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Settings the node builds from its configuration: the parse limits (spec/02 §2.1: all configurable), answers. */
class NodeSettingsTest {
    private static EffectiveConfig load(Map<String, String> environment) {
        return ConfigLoader.load(Optional.empty(), environment);
    }

    @Test
    void on_the_defaults_the_limits_are_the_parsers_defaults_so_lineage_hashes_stay_the_same() {
        assertThat(FrostbyteNode.parseLimits(load(Map.of()))).isEqualTo(ParseLimits.defaults());
    }

    @Test
    void every_configured_parse_limit_and_the_stream_cap_reach_the_parser() {
        ParseLimits limits = FrostbyteNode.parseLimits(load(Map.of(
                "FROSTBYTE_PARSE__MAX_PAGES", "3",
                "FROSTBYTE_PARSE__MAX_CHARACTERS", "5000",
                "FROSTBYTE_PARSE__MAX_EMBEDDED_DOCUMENTS", "2",
                "FROSTBYTE_PARSE__MAX_NESTING_DEPTH", "4",
                "FROSTBYTE_PARSE__MAX_TABLE_CELLS", "60",
                "FROSTBYTE_PARSE__TIMEOUT_SECONDS", "7",
                "FROSTBYTE_PARSE__MAX_EXPANSION_RATIO", "9",
                "FROSTBYTE_MALWARE__STREAM_MAX_MB", "16")));

        assertThat(limits).isEqualTo(new ParseLimits(16L * 1024 * 1024, 3, 5000, 2, 4, 60, Duration.ofSeconds(7), 9));
    }

    @Test
    void a_generated_answer_gets_at_most_the_configured_tokens() {
        assertThat(FrostbyteNode.answerSettings(load(Map.of())).maxTokens()).isEqualTo(800);
        assertThat(FrostbyteNode.answerSettings(load(Map.of("FROSTBYTE_GENERATION__MAX_TOKENS", "256"))))
                .isEqualTo(new AnswerSettings(256, AnswerSettings.DEFAULTS.maxSentences()));
    }
}
