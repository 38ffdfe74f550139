package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Document classification of spec/03 §3.5: rules first; the prototype step when the rules are inconclusive or under
 * the tenant threshold, the higher confidence winning; under the threshold the label is {@code other} and, with review
 * enabled, the result needs review (POL-17). Review never blocks indexing.
 *
 * <p>Thread-safe if the prototype classifier is.
 */
public final class DocumentClassifier {
    public static final String VERSION = "fb-cls/1.0.0";

    private final RuleClassifier rules;
    private final PrototypeClassifier prototypes;

    public DocumentClassifier(RuleClassifier rules, PrototypeClassifier prototypes) {
        this.rules = requireNonNull(rules, "rules is null");
        this.prototypes = requireNonNull(prototypes, "prototypes is null");
    }

    /** {@code fb-cls/1.0.0+rules-1+proto-1:<embed_model>@<embed_version>}. */
    public String classifierVersion() {
        return VERSION + "+" + RuleClassifier.VERSION + "+" + PrototypeClassifier.VERSION + ":"
                + prototypes.embedModel();
    }

    /**
     * @param filename the uploaded file name, or null
     * @param firstHeading the document's first heading, or null
     * @param canonicalText the canonical text, for the rules
     * @param prototypeText the document's non-quarantined, redacted text, for the prototype step (only its first 2000
     *     characters are embedded; quarantined text must never be passed, POL-1)
     * @param threshold the tenant's {@code classification_threshold}
     * @param reviewEnabled the tenant's {@code classification_review_enabled}
     */
    public Classification classify(
            String filename,
            String firstHeading,
            String canonicalText,
            String prototypeText,
            double threshold,
            boolean reviewEnabled) {
        return classify(filename, firstHeading, canonicalText, prototypeText, threshold, reviewEnabled, null);
    }

    /**
     * {@link #classify(String, String, String, String, double, boolean)} with the prototype step's input embedded by
     * {@code prototypeEmbedder} (see {@link PrototypeClassifier#classify(String, TextEmbedder)}); null for the
     * prototype classifier's own embedder. It is not called when the rules decide.
     */
    public Classification classify(
            String filename,
            String firstHeading,
            String canonicalText,
            String prototypeText,
            double threshold,
            boolean reviewEnabled,
            TextEmbedder prototypeEmbedder) {
        requireNonNull(prototypeText, "prototype text is null");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("classification threshold must be in [0, 1]: " + threshold);
        }
        Optional<ClassCandidate> rule = rules.classify(filename, firstHeading, canonicalText);
        if (rule.isPresent() && rule.get().confidence() >= threshold) {
            return new Classification(
                    rule.get().label(), rule.get().confidence(), false, List.of(), classifierVersion());
        }
        List<ClassCandidate> candidates = prototypeEmbedder == null
                ? prototypes.classify(prototypeText)
                : prototypes.classify(prototypeText, prototypeEmbedder);
        ClassCandidate best = candidates.getFirst();
        if (rule.isPresent() && rule.get().confidence() >= best.confidence()) {
            best = rule.get();
        }
        if (best.confidence() >= threshold) {
            return new Classification(best.label(), best.confidence(), false, candidates, classifierVersion());
        }
        return new Classification(
                DocumentClass.OTHER, best.confidence(), reviewEnabled, candidates, classifierVersion());
    }
}
