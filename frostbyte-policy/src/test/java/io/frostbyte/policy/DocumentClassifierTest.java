package io.frostbyte.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentClassifierTest {
    private static final List<String> VOCABULARY = List.of(
            "invoice",
            "total",
            "due",
            "payment",
            "tax",
            "amount",
            "agreement",
            "parties",
            "term",
            "termination",
            "signed",
            "confidential",
            "procedure",
            "step",
            "steps",
            "responsibilities",
            "perform",
            "policy",
            "employees",
            "rules",
            "comply",
            "dear",
            "regards",
            "letter",
            "memorandum",
            "staff",
            "court",
            "plaintiff",
            "defendant",
            "case",
            "motion",
            "judgment",
            "article",
            "report",
            "news",
            "notes",
            "meeting");
    private final BagOfWordsEmbedder embedder = new BagOfWordsEmbedder(VOCABULARY);
    private final PrototypeClassifier prototypes =
            new PrototypeClassifier(embedder, "bow@1", PrototypeClassifier.defaultDescriptions());
    private final DocumentClassifier classifier = new DocumentClassifier(new RuleClassifier(), prototypes);
    private final RuleClassifier rules = new RuleClassifier();

    @Test
    void rules_read_filename_tokens_with_confidence_0_9() {
        assertThat(rules.classify("/uploads/2026_Acme-NDA.final.pdf", null, "Some text."))
                .contains(new ClassCandidate(DocumentClass.CONTRACT, 0.9));
        assertThat(rules.classify("agreements.pdf", null, "Some text.")).isEmpty();
    }

    @Test
    void rules_score_a_heading_phrase_0_9_a_leading_phrase_0_8_and_agreement_with_the_filename_0_95() {
        assertThat(rules.classify(null, "Tax Invoice", "Tax Invoice\n\nTotal due."))
                .contains(new ClassCandidate(DocumentClass.INVOICE, 0.9));
        assertThat(rules.classify(null, "Acme", "Acme\n\nPlease find the invoice attached."))
                .contains(new ClassCandidate(DocumentClass.INVOICE, 0.8));
        assertThat(rules.classify("invoice-42.pdf", "Invoice", "Invoice\n\nTotal due."))
                .contains(new ClassCandidate(DocumentClass.INVOICE, 0.95));
    }

    @Test
    void rules_naming_different_labels_are_inconclusive() {
        assertThat(rules.classify("letter.docx", "Master Services Agreement", "Master Services Agreement"))
                .isEmpty();
    }

    @Test
    void rules_see_policy_only_in_the_first_heading_and_dear_at_a_paragraph_start() {
        assertThat(rules.classify(null, "Overview", "Overview\n\nSee the travel policy."))
                .isEmpty();
        assertThat(rules.classify(null, "Travel Policy", "Travel Policy\n\nBook early."))
                .contains(new ClassCandidate(DocumentClass.POLICY, 0.9));
        assertThat(rules.classify(null, null, "12 May\n\nDear Ms Smith,\n\nThanks."))
                .contains(new ClassCandidate(DocumentClass.CORRESPONDENCE, 0.8));
    }

    @Test
    void confident_rules_decide_without_the_prototype_step() {
        Classification result = classifier.classify("msa.pdf", "Agreement", "Agreement\n\nText.", "text", 0.7, true);

        assertThat(result.label()).isEqualTo(DocumentClass.CONTRACT);
        assertThat(result.confidence()).isEqualTo(0.95);
        assertThat(result.needsReview()).isFalse();
        assertThat(result.candidates()).isEmpty();
        assertThat(result.classifierVersion()).isEqualTo("fb-cls/1.0.0+rules-1+proto-1:bow@1");
    }

    @Test
    void the_nearest_prototype_labels_a_document_the_rules_cannot() {
        String text = "The plaintiff asks the court for judgment against the defendant in this case.";

        Classification result = classifier.classify(null, null, "Overview", text, 0.7, true);

        assertThat(result.label()).isEqualTo(DocumentClass.LEGAL_FILING);
        assertThat(result.confidence()).isGreaterThan(0.9);
        assertThat(result.status()).isEqualTo("final");
        assertThat(result.candidates().getFirst().label()).isEqualTo(DocumentClass.LEGAL_FILING);
        assertThat(result.candidates().stream()
                        .mapToDouble(ClassCandidate::confidence)
                        .sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void confidence_under_the_threshold_becomes_other_and_needs_review_when_enabled() {
        String ambiguous = "payment term";

        Classification reviewed = classifier.classify(null, null, ambiguous, ambiguous, 0.99, true);
        Classification unreviewed = classifier.classify(null, null, ambiguous, ambiguous, 0.99, false);

        assertThat(reviewed.label()).isEqualTo(DocumentClass.OTHER);
        assertThat(reviewed.needsReview()).isTrue();
        assertThat(reviewed.status()).isEqualTo("pending_review");
        assertThat(reviewed.confidence()).isLessThan(0.99);
        assertThat(unreviewed.status()).isEqualTo("final");
    }

    @Test
    void softmax_at_temperature_0_05_separates_a_clear_winner() {
        List<ClassCandidate> candidates = prototypes.classify("invoice total due payment tax amount");

        assertThat(candidates.getFirst()).isEqualTo(new ClassCandidate(DocumentClass.INVOICE, 1.0));
        assertThat(prototypes.classify("invoice total due payment tax amount")).isEqualTo(candidates);
    }

    @Test
    void rejects_a_label_with_fewer_than_three_prototypes() {
        assertThatThrownBy(() -> new PrototypeClassifier(
                        embedder,
                        "bow@1",
                        Map.of(DocumentClass.INVOICE, List.of("invoice"), DocumentClass.OTHER, List.of("a", "b", "c"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invoice needs 3 to 5 prototypes, has 1");
    }
}
