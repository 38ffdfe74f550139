package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Measures the detectors on labelled corpora whose paths the caller supplies (for tests and {@code frostbyte-bench};
 * the detectors themselves never read files).
 *
 * <ul>
 *   <li>PII: Presidio's {@code synth_dataset_v2} JSON ({@code full_text}, {@code spans[entity_type, start_position,
 *       end_position]} in code points). Span scores are overlap-based, per category. Recall: a gold span is found
 *       when a predicted span of its category overlaps it (the corpus sometimes labels one postal address as several
 *       spans, house number, street, unit and postcode, and one predicted address covering them finds them all).
 *       Precision: predicted and gold spans of a category that overlap form connected groups; in a group of
 *       {@code p} predictions and {@code g} gold spans, {@code min(p, g)} predictions are correct and the rest are
 *       false positives, so cutting one entity into pieces earns no extra credit; a prediction overlapping no gold
 *       span is a false positive. Character-level scores count code points, so a span found but cut short or
 *       overlong shows there.
 *   <li>Injection: deepset prompt-injections JSONL ({@code text}, {@code label} 1 = injection); positive = action at
 *       least {@code flag}.
 * </ul>
 */
public final class PolicyEvaluator {
    /** Presidio entity types and the category they are scored under; other gold types are ignored. */
    static final Map<String, String> PRESIDIO_CATEGORIES = Map.of(
            "EMAIL_ADDRESS", "EMAIL",
            "PHONE_NUMBER", "PHONE",
            "US_SSN", "SSN",
            "CREDIT_CARD", "CREDIT_CARD",
            "IBAN_CODE", "IBAN",
            "PERSON", "NAME",
            "STREET_ADDRESS", "ADDRESS",
            "US_DRIVER_LICENSE", "DRIVERS_LICENSE");

    private PolicyEvaluator() {}

    /**
     * A deterministic half of the Presidio file, split by the sample's {@code template_id} parity: samples from one
     * template share their wording, so a split by template keeps the held-out half's sentence shapes unseen while
     * heuristics are tuned on the other half.
     */
    public enum PiiSplit {
        ALL,
        /** Even {@code template_id}: the half the heuristics were tuned on. */
        TUNING,
        /** Odd {@code template_id}: never looked at while tuning. */
        HELD_OUT;

        boolean contains(int templateId) {
            return switch (this) {
                case ALL -> true;
                case TUNING -> templateId % 2 == 0;
                case HELD_OUT -> templateId % 2 != 0;
            };
        }
    }

    /**
     * Precision, recall and F1 from counts; 0 when undefined. {@code truePositives} are gold spans found,
     * {@code correctPredictions} predictions counted correct (they differ when one prediction covers several gold
     * spans).
     */
    public record Score(int truePositives, int falsePositives, int falseNegatives, int correctPredictions) {
        /** Counts where every true positive is one correct prediction. */
        public Score(int truePositives, int falsePositives, int falseNegatives) {
            this(truePositives, falsePositives, falseNegatives, truePositives);
        }

        public double precision() {
            return ratio(correctPredictions, correctPredictions + falsePositives);
        }

        public double recall() {
            return ratio(truePositives, truePositives + falseNegatives);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        private static double ratio(int numerator, int denominator) {
            return denominator == 0 ? 0 : (double) numerator / denominator;
        }
    }

    /** Per category: span-level (overlap) and character-level scores. */
    public record PiiEvaluation(int samples, SortedMap<String, Score> spans, SortedMap<String, Score> characters) {
        public PiiEvaluation {
            spans = new TreeMap<>(spans);
            characters = new TreeMap<>(characters);
        }

        public String report() {
            StringBuilder out = new StringBuilder("PII on " + samples + " samples (span overlap | characters)\n");
            spans.forEach((category, s) -> {
                Score c = characters.get(category);
                out.append(String.format(
                        "%-16s P %.3f R %.3f F1 %.3f (found %d correct %d fp %d fn %d) | P %.3f R %.3f F1 %.3f%n",
                        category,
                        s.precision(),
                        s.recall(),
                        s.f1(),
                        s.truePositives(),
                        s.correctPredictions(),
                        s.falsePositives(),
                        s.falseNegatives(),
                        c.precision(),
                        c.recall(),
                        c.f1()));
            });
            return out.toString();
        }
    }

    /** Confusion counts of the injection gate at its thresholds. */
    public record InjectionEvaluation(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {
        public double precision() {
            return new Score(truePositives, falsePositives, falseNegatives).precision();
        }

        public double recall() {
            return new Score(truePositives, falsePositives, falseNegatives).recall();
        }

        public double falsePositiveRate() {
            int negatives = falsePositives + trueNegatives;
            return negatives == 0 ? 0 : (double) falsePositives / negatives;
        }

        public String report() {
            return String.format(
                    "injection: P %.3f R %.3f FPR %.3f (tp %d fp %d tn %d fn %d)%n",
                    precision(),
                    recall(),
                    falsePositiveRate(),
                    truePositives,
                    falsePositives,
                    trueNegatives,
                    falseNegatives);
        }
    }

    public static PiiEvaluation evaluatePii(PiiDetector detector, Path presidioJson) {
        return evaluatePii(detector, presidioJson, PiiSplit.ALL);
    }

    /** Scores the samples of one {@link PiiSplit} half. */
    public static PiiEvaluation evaluatePii(PiiDetector detector, Path presidioJson, PiiSplit split) {
        requireNonNull(detector, "detector is null");
        requireNonNull(split, "split is null");
        Object root = Json.parse(read(presidioJson));
        if (!(root instanceof List<?> samples)) {
            throw new IllegalArgumentException("expected a JSON array in " + presidioJson);
        }
        SortedMap<String, int[]> spanCounts = new TreeMap<>();
        SortedMap<String, int[]> charCounts = new TreeMap<>();
        for (String category : PRESIDIO_CATEGORIES.values()) {
            spanCounts.put(category, new int[4]);
            charCounts.put(category, new int[4]);
        }
        int evaluated = 0;
        for (Object sample : samples) {
            Map<?, ?> object = (Map<?, ?>) sample;
            if (!split.contains(((Number) object.get("template_id")).intValue())) {
                continue;
            }
            evaluated++;
            String text = (String) object.get("full_text");
            List<Labelled> gold = new ArrayList<>();
            for (Object span : (List<?>) object.get("spans")) {
                Map<?, ?> s = (Map<?, ?>) span;
                String category = PRESIDIO_CATEGORIES.get((String) s.get("entity_type"));
                if (category != null) {
                    gold.add(new Labelled(
                            category,
                            ((Number) s.get("start_position")).intValue(),
                            ((Number) s.get("end_position")).intValue()));
                }
            }
            List<Labelled> predicted = new ArrayList<>();
            for (PiiSpan span : detector.detect(text)) {
                String category = categoryOf(text, span);
                if (category != null) {
                    predicted.add(new Labelled(category, span.start(), span.end()));
                }
            }
            for (String category : spanCounts.keySet()) {
                countSpans(category, gold, predicted, spanCounts.get(category));
                countCharacters(category, gold, predicted, charCounts.get(category));
            }
        }
        return new PiiEvaluation(evaluated, scores(spanCounts), scores(charCounts));
    }

    public static InjectionEvaluation evaluateInjection(InjectionScorer scorer, Path deepsetJsonl) {
        requireNonNull(scorer, "scorer is null");
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (String line : read(deepsetJsonl).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<?, ?> sample = (Map<?, ?>) Json.parse(line);
            boolean injection = ((Number) sample.get("label")).intValue() == 1;
            boolean flagged = scorer.score((String) sample.get("text")).action() != InjectionAction.PASS;
            if (injection && flagged) {
                tp++;
            } else if (injection) {
                fn++;
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
        }
        return new InjectionEvaluation(tp, fp, tn, fn);
    }

    /** One labelled sample's id, label and chunk score. */
    public record ScoredSample(String id, boolean injection, double score) {}

    /** A point of the ROC curve: flagging at {@code score >= threshold}. */
    public record RocPoint(double threshold, double truePositiveRate, double falsePositiveRate) {}

    /** Scores every sample of a deepset JSONL file, in file order. */
    public static List<ScoredSample> scoreInjection(InjectionScorer scorer, Path deepsetJsonl) {
        requireNonNull(scorer, "scorer is null");
        List<ScoredSample> samples = new ArrayList<>();
        for (String line : read(deepsetJsonl).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<?, ?> sample = (Map<?, ?>) Json.parse(line);
            samples.add(new ScoredSample(
                    String.valueOf(sample.get("id")),
                    ((Number) sample.get("label")).intValue() == 1,
                    scorer.score((String) sample.get("text")).score()));
        }
        return List.copyOf(samples);
    }

    /**
     * The deterministic held-out fifth of the deepset file (ids whose number is divisible by 5): the corpus ships a
     * single {@code train.jsonl}, so thresholds are chosen on the other four fifths and reported on this one too.
     */
    public static boolean heldOut(String id) {
        int dash = id.lastIndexOf('-');
        try {
            return Integer.parseInt(id.substring(dash + 1)) % 5 == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Confusion counts when flagging at {@code score >= threshold}. */
    public static InjectionEvaluation evaluateInjection(List<ScoredSample> samples, double threshold) {
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (ScoredSample sample : samples) {
            boolean flagged = sample.score() >= threshold;
            if (sample.injection()) {
                tp += flagged ? 1 : 0;
                fn += flagged ? 0 : 1;
            } else {
                fp += flagged ? 1 : 0;
                tn += flagged ? 0 : 1;
            }
        }
        return new InjectionEvaluation(tp, fp, tn, fn);
    }

    /** ROC points at every distinct score (descending) plus the end points. */
    public static List<RocPoint> roc(List<ScoredSample> samples) {
        java.util.TreeSet<Double> thresholds = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
        samples.forEach(s -> thresholds.add(s.score()));
        List<RocPoint> points = new ArrayList<>();
        points.add(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
        for (double threshold : thresholds) {
            InjectionEvaluation e = evaluateInjection(samples, threshold);
            points.add(new RocPoint(threshold, e.recall(), e.falsePositiveRate()));
        }
        return List.copyOf(points);
    }

    private static String categoryOf(String text, PiiSpan span) {
        return switch (span.type()) {
            case EMAIL -> "EMAIL";
            case PHONE -> "PHONE";
            case SSN -> "SSN";
            case NAME -> "NAME";
            case ADDRESS -> "ADDRESS";
            case DRIVERS_LICENSE -> "DRIVERS_LICENSE";
            case FINANCIAL_ACCOUNT -> {
                int start = text.offsetByCodePoints(0, span.start());
                yield Checksums.isLetter(text.charAt(start)) ? "IBAN" : "CREDIT_CARD";
            }
            case DOB, PASSPORT, MEDICAL_RECORD -> null;
        };
    }

    private static void countSpans(String category, List<Labelled> gold, List<Labelled> predicted, int[] counts) {
        List<Labelled> g =
                gold.stream().filter(l -> l.category().equals(category)).toList();
        List<Labelled> p =
                predicted.stream().filter(l -> l.category().equals(category)).toList();
        // union-find over predictions [0, p) and gold spans [p, p + g) joined by overlap
        int[] parent = new int[p.size() + g.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        boolean[] goldFound = new boolean[g.size()];
        for (int i = 0; i < p.size(); i++) {
            for (int j = 0; j < g.size(); j++) {
                if (p.get(i).overlaps(g.get(j))) {
                    goldFound[j] = true;
                    parent[root(parent, i)] = root(parent, p.size() + j);
                }
            }
        }
        int[] predictionsIn = new int[parent.length];
        int[] goldIn = new int[parent.length];
        for (int i = 0; i < parent.length; i++) {
            if (i < p.size()) {
                predictionsIn[root(parent, i)]++;
            } else {
                goldIn[root(parent, i)]++;
            }
        }
        int correct = 0;
        for (int i = 0; i < parent.length; i++) {
            correct += Math.min(predictionsIn[i], goldIn[i]);
        }
        int found = 0;
        for (boolean f : goldFound) {
            found += f ? 1 : 0;
        }
        counts[0] += found;
        counts[1] += p.size() - correct;
        counts[2] += g.size() - found;
        counts[3] += correct;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void countCharacters(String category, List<Labelled> gold, List<Labelled> predicted, int[] counts) {
        java.util.BitSet goldChars = new java.util.BitSet();
        java.util.BitSet predictedChars = new java.util.BitSet();
        gold.stream().filter(g -> g.category().equals(category)).forEach(g -> goldChars.set(g.start(), g.end()));
        predicted.stream()
                .filter(p -> p.category().equals(category))
                .forEach(p -> predictedChars.set(p.start(), p.end()));
        java.util.BitSet both = (java.util.BitSet) goldChars.clone();
        both.and(predictedChars);
        counts[0] += both.cardinality();
        counts[1] += predictedChars.cardinality() - both.cardinality();
        counts[2] += goldChars.cardinality() - both.cardinality();
        counts[3] += both.cardinality();
    }

    private static SortedMap<String, Score> scores(SortedMap<String, int[]> counts) {
        SortedMap<String, Score> scores = new TreeMap<>();
        counts.forEach((category, c) -> scores.put(category, new Score(c[0], c[1], c[2], c[3])));
        return scores;
    }

    private static String read(Path path) {
        requireNonNull(path, "path is null");
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read corpus " + path, e);
        }
    }

    private record Labelled(String category, int start, int end) {
        boolean overlaps(Labelled other) {
            return start < other.end && other.start < end;
        }
    }
}
