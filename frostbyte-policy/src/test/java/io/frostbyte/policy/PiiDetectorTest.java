package io.frostbyte.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.policy.PiiDetector.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PiiDetectorTest {
    private final PiiDetector detector = new PiiDetector();

    @Test
    void reports_offsets_in_code_points_not_utf16_units() {
        String text = "😀 mail j.smith@vendor.example now";

        assertThat(detector.detect(text)).containsExactly(new PiiSpan(PiiType.EMAIL, 7, 29));
    }

    @Test
    void rejects_an_email_without_a_dotted_domain_or_with_a_one_letter_tld() {
        assertThat(detector.detect("root@localhost and a@b.c")).isEmpty();
    }

    @Test
    void finds_a_dashed_ssn_anywhere_and_a_bare_one_only_near_ssn_words() {
        assertThat(detector.detect("SSN 123456789 and 123-45-6789"))
                .containsExactly(new PiiSpan(PiiType.SSN, 4, 13), new PiiSpan(PiiType.SSN, 18, 29));
        assertThat(detector.detect("Order 123456789 shipped")).isEmpty();
    }

    @Test
    void rejects_ssns_with_area_000_666_or_9xx_group_00_or_serial_0000() {
        assertThat(detector.detect("000-12-3456 666-12-3456 912-12-3456 123-00-4567 123-45-0000"))
                .isEmpty();
    }

    @Test
    void finds_a_card_number_with_separators_only_when_luhn_passes() {
        assertThat(detector.detect("card 4111 1111 1111 1111 ok"))
                .containsExactly(new PiiSpan(PiiType.FINANCIAL_ACCOUNT, 5, 24));
        assertThat(detector.detect("card 4111 1111 1111 1112 ok")).isEmpty();
    }

    @Test
    void finds_an_iban_only_when_mod_97_passes() {
        assertThat(detector.detect("IBAN GB82 WEST 1234 5698 7654 32."))
                .containsExactly(new PiiSpan(PiiType.FINANCIAL_ACCOUNT, 5, 32));
        assertThat(detector.detect("IBAN GB83 WEST 1234 5698 7654 32.")).isEmpty();
    }

    @Test
    void finds_an_account_number_only_after_an_account_word() {
        assertThat(detector.detect("Account no. 12345678901 in bank"))
                .containsExactly(new PiiSpan(PiiType.FINANCIAL_ACCOUNT, 12, 23));
        assertThat(detector.detect("Order 12345678901 in bank"))
                .extracting(PiiSpan::type)
                .doesNotContain(PiiType.FINANCIAL_ACCOUNT);
    }

    @Test
    void finds_us_and_international_phone_numbers_validated_by_libphonenumber() {
        assertThat(detector.detect("Call (650) 253-0000 or +44 20 7946 0958 today."))
                .containsExactly(new PiiSpan(PiiType.PHONE, 5, 19), new PiiSpan(PiiType.PHONE, 23, 39));
    }

    @Test
    void finds_a_date_as_dob_only_near_birth_words() {
        assertThat(detector.detect("Date of birth: 04/12/1985.")).containsExactly(new PiiSpan(PiiType.DOB, 15, 25));
        assertThat(detector.detect("Invoice date 04/12/1985, due 1 March 2026."))
                .isEmpty();
    }

    @Test
    void finds_passport_license_and_medical_record_ids_after_their_context_words() {
        assertThat(detector.detect("Passport No: X1234567 issued"))
                .containsExactly(new PiiSpan(PiiType.PASSPORT, 13, 21));
        assertThat(detector.detect("DL# D1234-5678 and MRN 00123456"))
                .containsExactly(
                        new PiiSpan(PiiType.DRIVERS_LICENSE, 4, 14), new PiiSpan(PiiType.MEDICAL_RECORD, 23, 31));
        assertThat(detector.detect("Reference X1234567 issued")).isEmpty();
    }

    @Test
    void finds_names_by_gazetteer_or_cue_and_addresses_by_street_type() {
        assertThat(detector.detect("Dear Maria Gonzalez, your parcel went to 1600 Pennsylvania Avenue."))
                .containsExactly(new PiiSpan(PiiType.NAME, 5, 19), new PiiSpan(PiiType.ADDRESS, 41, 65));
        assertThat(detector.detect("The Quarterly Report is due.")).isEmpty();
    }

    @Test
    void lets_the_longest_span_win_and_breaks_ties_by_table_order() {
        List<Candidate> resolved = PiiDetector.resolve(List.of(
                new Candidate(PiiType.FINANCIAL_ACCOUNT, 0, 16),
                new Candidate(PiiType.PHONE, 0, 16),
                new Candidate(PiiType.NAME, 10, 20),
                new Candidate(PiiType.SSN, 40, 49),
                new Candidate(PiiType.ADDRESS, 35, 60)));

        assertThat(resolved)
                .containsExactly(new Candidate(PiiType.PHONE, 0, 16), new Candidate(PiiType.ADDRESS, 35, 60));
    }

    @Test
    void never_reports_allowlisted_values_or_domains() {
        PiiDetector allowing = new PiiDetector(List.of("@vendor.example", "123-45-6789"));

        assertThat(allowing.detect("j.smith@vendor.example, a.b@other.example, 123-45-6789"))
                .containsExactly(new PiiSpan(PiiType.EMAIL, 24, 41));
    }

    @Test
    void returns_sorted_non_overlapping_spans_and_the_same_spans_every_time() {
        String text = "Name: John Smith\nSSN: 123-45-6789\nPhone: (650) 253-0000\nE-mail: john.smith@example.com\n"
                + "Card: 4111-1111-1111-1111\nDOB: 1985-04-12\n";

        List<PiiSpan> spans = detector.detect(text);

        assertThat(spans)
                .extracting(PiiSpan::type)
                .containsExactly(
                        PiiType.NAME,
                        PiiType.SSN,
                        PiiType.PHONE,
                        PiiType.EMAIL,
                        PiiType.FINANCIAL_ACCOUNT,
                        PiiType.DOB);
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i).start())
                    .isGreaterThanOrEqualTo(spans.get(i - 1).end());
        }
        assertThat(detector.detect(text)).isEqualTo(spans);
    }

    @Test
    @Timeout(60)
    void scans_100k_characters_of_pathological_email_like_input_without_backtracking() {
        String hostile = "a@" + "a.".repeat(50_000);
        detector.detect("warm up a@b.example (650) 253-0000");

        List<PiiSpan> spans = detector.detect(hostile);

        // the timeout is generous: a linear scan takes milliseconds, catastrophic backtracking takes hours
        assertThat(spans).isEmpty();
    }

    @Test
    @Timeout(60)
    void scans_100k_characters_of_digit_runs_and_title_chains_in_bounded_time() {
        String digits = "1 ".repeat(50_000);
        String titles = "Mr. A ".repeat(20_000);

        List<PiiSpan> digitSpans = detector.detect(digits);
        List<PiiSpan> titleSpans = detector.detect(titles);

        assertThat(digitSpans).isEmpty();
        assertThat(titleSpans).isEmpty();
    }

    @Test
    @Timeout(60)
    void scans_10_mb_of_text_and_finds_every_entity() {
        String paragraph = "Contact j.smith@vendor.example or (650) 253-0000 about card 4111 1111 1111 1111; "
                + "the weather report says nothing else of interest here today.\n";
        int copies = 10_000_000 / paragraph.length() + 1;
        String text = paragraph.repeat(copies);

        List<PiiSpan> spans = detector.detect(text);

        assertThat(text.length()).isGreaterThanOrEqualTo(10_000_000);
        assertThat(spans).hasSize(3 * copies);
        assertThat(spans.get(spans.size() - 1))
                .isEqualTo(new PiiSpan(
                        PiiType.FINANCIAL_ACCOUNT,
                        (copies - 1) * paragraph.length() + 60,
                        (copies - 1) * paragraph.length() + 79));
    }
}
