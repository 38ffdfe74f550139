package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A document's classification (spec/03 §3.5).
 *
 * @param label the stored label: {@code other} when the best confidence is under the tenant threshold
 * @param confidence the best rule or prototype confidence
 * @param needsReview under the threshold with review enabled: a review item is due ({@code pending_review})
 * @param candidates every label the prototype step scored, best first (empty when the rules decided alone)
 * @param classifierVersion {@code fb-cls/1.0.0+rules-1+proto-1:<embed_model>@<embed_version>}
 */
public record Classification(
        DocumentClass label,
        double confidence,
        boolean needsReview,
        List<ClassCandidate> candidates,
        String classifierVersion) {
    public Classification {
        requireNonNull(label, "label is null");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1]: " + confidence);
        }
        candidates = List.copyOf(requireNonNull(candidates, "candidates is null"));
        requireNonNull(classifierVersion, "classifier version is null");
    }

    /** {@code classification_status}: {@code pending_review} or {@code final}. */
    public String status() {
        return needsReview ? "pending_review" : "final";
    }
}
