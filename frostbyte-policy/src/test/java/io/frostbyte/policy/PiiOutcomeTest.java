package io.frostbyte.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PiiOutcomeTest {
    private static final String TEXT = "😀 Mail j.smith@vendor.example, SSN 123-45-6789, call (650) 253-0000.";
    private static final List<PiiSpan> SPANS = new PiiDetector().detect(TEXT);
    private static final Set<PiiType> DEFAULT_TYPES = EnumSet.of(PiiType.SSN, PiiType.DOB, PiiType.EMAIL);

    @Test
    void redacts_enabled_types_and_keeps_originals_with_code_point_offsets() {
        Redaction redaction = PiiRedactor.redact(TEXT, SPANS, DEFAULT_TYPES);

        assertThat(redaction.text()).isEqualTo("😀 Mail [REDACTED:EMAIL], SSN [REDACTED:SSN], call (650) 253-0000.");
        assertThat(redaction.originals())
                .containsExactly(
                        new RedactedOriginal(PiiType.EMAIL, 7, 29, "j.smith@vendor.example"),
                        new RedactedOriginal(PiiType.SSN, 35, 46, "123-45-6789"));
    }

    @Test
    void redact_policy_reports_types_and_counts_only() {
        PiiOutcome outcome = PiiOutcome.decide(PiiPolicy.REDACT, DEFAULT_TYPES, TEXT, SPANS);

        assertThat(outcome.scanResult().wireValue()).isEqualTo("redacted");
        assertThat(outcome.actionTaken().wireValue()).isEqualTo("redacted");
        assertThat(outcome.counts()).isEqualTo(Map.of(PiiType.SSN, 1, PiiType.EMAIL, 1));
        assertThat(outcome.typesFound()).containsExactly(PiiType.SSN, PiiType.EMAIL);
        assertThat(outcome.toString()).doesNotContain("j.smith", "123-45-6789");
    }

    @Test
    void flag_policy_keeps_the_text_and_block_policy_quarantines_the_document() {
        PiiOutcome flagged = PiiOutcome.decide(PiiPolicy.fromConfig("flag"), DEFAULT_TYPES, TEXT, SPANS);
        PiiOutcome blocked = PiiOutcome.decide(PiiPolicy.fromConfig("block"), DEFAULT_TYPES, TEXT, SPANS);

        assertThat(flagged.scanResult()).isEqualTo(PiiScanResult.PII_FOUND);
        assertThat(flagged.actionTaken()).isEqualTo(PiiActionTaken.FLAGGED);
        assertThat(flagged.redaction()).isEmpty();
        assertThat(blocked.scanResult()).isEqualTo(PiiScanResult.BLOCKED);
        assertThat(blocked.blocksDocument()).isTrue();
    }

    @Test
    void a_text_with_only_disabled_types_is_clean() {
        PiiOutcome outcome = PiiOutcome.decide(PiiPolicy.BLOCK, EnumSet.of(PiiType.PASSPORT), TEXT, SPANS);

        assertThat(outcome.scanResult()).isEqualTo(PiiScanResult.CLEAN);
        assertThat(outcome.actionTaken()).isEqualTo(PiiActionTaken.NONE);
        assertThat(outcome.counts()).isEmpty();
    }

    @Test
    void a_redacted_original_never_prints_its_value() {
        assertThat(new RedactedOriginal(PiiType.SSN, 0, 11, "123-45-6789").toString())
                .isEqualTo("RedactedOriginal[type=SSN, start=0, end=11, value=<11 code points>]");
    }

    @Test
    void rejects_an_unknown_policy_and_overlapping_spans() {
        assertThatThrownBy(() -> PiiPolicy.fromConfig("drop")).hasMessageContaining("redact, flag or block");
        assertThatThrownBy(() -> PiiRedactor.redact(
                        "abcdef",
                        List.of(new PiiSpan(PiiType.SSN, 0, 4), new PiiSpan(PiiType.EMAIL, 2, 5)),
                        DEFAULT_TYPES))
                .hasMessage("spans overlap at code point 2");
    }
}
