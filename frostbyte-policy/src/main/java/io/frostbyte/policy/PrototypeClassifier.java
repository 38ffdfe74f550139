package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot nearest-prototype classifier {@value #VERSION} (spec/03 §3.5 step 2): each label has 3–5 prototype
 * descriptions, embedded once at construction; a text (its first {@value #MAX_CHARS} code points) scores, per label,
 * its best cosine against that label's prototypes; confidences are a softmax over labels with temperature
 * {@value #TEMPERATURE}.
 *
 * <p>Thread-safe if the embedder is; deterministic if the embedder is.
 */
public final class PrototypeClassifier {
    public static final String VERSION = "proto-1";
    public static final double TEMPERATURE = 0.05;
    public static final int MAX_CHARS = 2000;

    private final TextEmbedder embedder;
    private final String embedModel;
    private final Map<DocumentClass, float[][]> prototypes;

    /**
     * @param embedder the tenant's embedding model
     * @param embedModel {@code <embed_model>@<embed_version>}, recorded in {@code classifier_version}
     * @param descriptions 3 to 5 descriptions for each of at least two labels
     */
    public PrototypeClassifier(
            TextEmbedder embedder, String embedModel, Map<DocumentClass, List<String>> descriptions) {
        this.embedder = requireNonNull(embedder, "embedder is null");
        this.embedModel = requireNonNull(embedModel, "embed model is null");
        requireNonNull(descriptions, "descriptions is null");
        if (descriptions.size() < 2) {
            throw new IllegalArgumentException("prototypes need at least two labels: " + descriptions.keySet());
        }
        Map<DocumentClass, float[][]> embedded = new EnumMap<>(DocumentClass.class);
        for (DocumentClass label : DocumentClass.values()) {
            List<String> texts = descriptions.get(label);
            if (texts == null) {
                continue;
            }
            if (texts.size() < 3 || texts.size() > 5) {
                throw new IllegalArgumentException(
                        "label " + label.wireName() + " needs 3 to 5 prototypes, has " + texts.size());
            }
            float[][] vectors = embedder.embed(List.copyOf(texts));
            requireVectors(vectors, texts.size());
            embedded.put(label, vectors);
        }
        this.prototypes = embedded;
    }

    /** Default English descriptions of the seven labels (a deployment may replace them). */
    public static Map<DocumentClass, List<String>> defaultDescriptions() {
        Map<DocumentClass, List<String>> d = new EnumMap<>(DocumentClass.class);
        d.put(
                DocumentClass.CONTRACT,
                List.of(
                        "a contract agreement between parties with terms, obligations, term and termination clauses",
                        "a master services agreement or statement of work signed by both parties",
                        "a non-disclosure agreement about confidential information"));
        d.put(
                DocumentClass.INVOICE,
                List.of(
                        "an invoice listing items, quantities, unit prices, tax and the total amount due",
                        "a bill requesting payment by a due date with an invoice number",
                        "a tax invoice with supplier details, VAT and payment instructions"));
        d.put(
                DocumentClass.SOP,
                List.of(
                        "a standard operating procedure with numbered steps, roles and responsibilities",
                        "step by step work instructions describing how to perform a task",
                        "a procedure document with purpose, scope, steps and records"));
        d.put(
                DocumentClass.POLICY,
                List.of(
                        "a company policy stating rules employees must follow",
                        "a policy document with purpose, scope, policy statements and compliance",
                        "a code of conduct or acceptable use policy"));
        d.put(
                DocumentClass.CORRESPONDENCE,
                List.of(
                        "a letter addressed to a person starting with dear and ending with regards",
                        "an internal memorandum to staff from management",
                        "an email message replying to a colleague"));
        d.put(
                DocumentClass.LEGAL_FILING,
                List.of(
                        "a court filing by a plaintiff against a defendant with a case number",
                        "a legal complaint or motion submitted to a court",
                        "a judgment or order of the court in a lawsuit"));
        d.put(
                DocumentClass.OTHER,
                List.of(
                        "a general article or report about a topic",
                        "meeting notes or a presentation",
                        "a news story or blog post"));
        return d;
    }

    /** {@code <embed_model>@<embed_version>}. */
    public String embedModel() {
        return embedModel;
    }

    /** The part of {@code text} the classifier embeds: its first {@value #MAX_CHARS} code points. */
    public static String input(String text) {
        requireNonNull(text, "text is null");
        return text.substring(
                0, text.offsetByCodePoints(0, Math.min(MAX_CHARS, text.codePointCount(0, text.length()))));
    }

    /** Every prototype label with its confidence, best first (ties in label order); confidences sum to 1. */
    public List<ClassCandidate> classify(String text) {
        return classify(text, embedder);
    }

    /**
     * {@link #classify(String)} with {@link #input(String)} embedded by {@code inputEmbedder}, which must give the
     * vectors of the model the prototypes were embedded with (e.g. the same model, observed by the caller to reuse its
     * answer).
     */
    public List<ClassCandidate> classify(String text, TextEmbedder inputEmbedder) {
        requireNonNull(inputEmbedder, "inputEmbedder is null");
        float[][] vectors = inputEmbedder.embed(List.of(input(text)));
        requireVectors(vectors, 1);
        float[] query = vectors[0];
        List<DocumentClass> labels = new ArrayList<>(prototypes.keySet());
        double[] best = new double[labels.size()];
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < labels.size(); i++) {
            best[i] = Double.NEGATIVE_INFINITY;
            for (float[] prototype : prototypes.get(labels.get(i))) {
                best[i] = Math.max(best[i], cosine(query, prototype));
            }
            top = Math.max(top, best[i]);
        }
        double sum = 0;
        double[] weights = new double[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            weights[i] = Math.exp((best[i] - top) / TEMPERATURE);
            sum += weights[i];
        }
        List<ClassCandidate> candidates = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            double confidence = Math.round(weights[i] / sum * 10_000) / 10_000.0;
            candidates.add(new ClassCandidate(labels.get(i), Math.min(1, confidence)));
        }
        candidates.sort(Comparator.comparingDouble(ClassCandidate::confidence)
                .reversed()
                .thenComparing(ClassCandidate::label));
        return List.copyOf(candidates);
    }

    /** Cosine similarity; 0 when either vector is all zeros (a text with no known words). */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector dimensions differ: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private static void requireVectors(float[][] vectors, int expected) {
        if (vectors == null || vectors.length != expected) {
            throw new IllegalStateException("embedder returned " + (vectors == null ? "null" : vectors.length)
                    + " vectors for " + expected + " texts");
        }
        for (float[] vector : vectors) {
            if (vector == null || vector.length == 0) {
                throw new IllegalStateException("embedder returned an empty vector");
            }
            for (float component : vector) {
                if (!Float.isFinite(component)) {
                    throw new IllegalStateException("embedder returned a non-finite vector component");
                }
            }
        }
    }
}
