package io.frostbyte.bench;

import io.frostbyte.policy.InjectionScorer;
import io.frostbyte.policy.PiiDetector;
import io.frostbyte.policy.PolicyEvaluator;
import io.frostbyte.policy.PolicyEvaluator.InjectionEvaluation;
import io.frostbyte.policy.PolicyEvaluator.PiiEvaluation;
import io.frostbyte.policy.PolicyEvaluator.RocPoint;
import io.frostbyte.policy.PolicyEvaluator.ScoredSample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * The policy gates on the shared labelled corpora: PII precision, recall and F1 per type and overall on pii-presidio;
 * injection precision, recall and false-positive rate at the default thresholds (all samples and the held-out fifth)
 * plus ROC points on injection-deepset; throughput of each gate and of the whole pass against a plain
 * {@code String.toLowerCase} over the same text in the same run, and of each gate chunk by chunk (chunks/s). Quality figures carry no baseline (NaN ratio).
 */
final class PolicySuite implements BenchSuite {
    private static final Path CORPUS = CorpusLocation.root();

    @Override
    public String name() {
        return "policy";
    }

    @Override
    public String description() {
        return "PII P/R/F1 per type, injection P/R/FPR and ROC, MB/s per gate vs String.toLowerCase";
    }

    @Override
    public List<Figure> run(BenchOptions options) throws Exception {
        List<Figure> figures = new ArrayList<>();
        PiiDetector detector = new PiiDetector();
        InjectionScorer scorer = new InjectionScorer();

        Path presidio = CORPUS.resolve("pii-presidio/synth_dataset_v2.even.json");
        PiiEvaluation pii = PolicyEvaluator.evaluatePii(detector, presidio);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (var entry : pii.spans().entrySet()) {
            PolicyEvaluator.Score s = entry.getValue();
            tp += s.truePositives();
            fp += s.falsePositives();
            fn += s.falseNegatives();
            figures.add(quality("pii " + entry.getKey() + " P", s.precision()));
            figures.add(quality("pii " + entry.getKey() + " R", s.recall()));
            figures.add(quality("pii " + entry.getKey() + " F1", s.f1()));
        }
        PolicyEvaluator.Score overall = new PolicyEvaluator.Score(tp, fp, fn);
        figures.add(quality("pii overall P", overall.precision()));
        figures.add(quality("pii overall R", overall.recall()));
        figures.add(quality("pii overall F1", overall.f1()));

        Path deepset = CORPUS.resolve("injection-deepset/train.jsonl");
        List<ScoredSample> samples = PolicyEvaluator.scoreInjection(scorer, deepset);
        List<ScoredSample> heldOut =
                samples.stream().filter(s -> PolicyEvaluator.heldOut(s.id())).toList();
        for (var set : List.of(samples, heldOut)) {
            String label = set == samples ? "inj all" : "inj held-out";
            InjectionEvaluation e = PolicyEvaluator.evaluateInjection(set, InjectionScorer.DEFAULT_FLAG_THRESHOLD);
            figures.add(quality(label + " P", e.precision()));
            figures.add(quality(label + " R", e.recall()));
            figures.add(quality(label + " FPR", e.falsePositiveRate()));
        }
        InjectionEvaluation quarantined =
                PolicyEvaluator.evaluateInjection(samples, InjectionScorer.DEFAULT_QUARANTINE_THRESHOLD);
        figures.add(quality("inj all R@quarantine", quarantined.recall()));
        figures.add(quality("inj all FPR@quarantine", quarantined.falsePositiveRate()));
        for (RocPoint point : PolicyEvaluator.roc(samples)) {
            if (Double.isFinite(point.threshold())) {
                figures.add(new Figure(
                        name(),
                        String.format(Locale.ROOT, "roc t=%.4f TPR", point.threshold()),
                        "ratio",
                        point.truePositiveRate(),
                        "FPR at the same threshold",
                        point.falsePositiveRate(),
                        true));
            }
        }

        String text = throughputText(presidio, deepset, options.scaled(4));
        double megabytes = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        double baseline = rate(megabytes, t -> t.toLowerCase(Locale.ROOT).length(), text);
        double piiRate = rate(megabytes, t -> detector.detect(t).size(), text);
        double injectionRate = rate(megabytes, t -> scoreInChunks(scorer, t), text);
        double wholeRate = rate(megabytes, t -> detector.detect(t).size() + scoreInChunks(scorer, t), text);
        String base = "String.toLowerCase (1 core)";
        figures.add(new Figure(name(), "pii gate", "MB/s/core", piiRate, base, baseline, true));
        figures.add(new Figure(name(), "injection gate", "MB/s/core", injectionRate, base, baseline, true));
        figures.add(new Figure(name(), "whole policy pass", "MB/s/core", wholeRate, base, baseline, true));

        // per chunk, as the pipeline calls the gates: each text on its own, cut to the chunker's 1,500 characters
        List<String> chunks = chunks(text);
        double chunkBaseline = chunkRate(chunks, t -> t.toLowerCase(Locale.ROOT).length());
        String chunkBase = "String.toLowerCase per chunk (1 core)";
        figures.add(new Figure(
                name(),
                "injection gate per 1,500-char chunk",
                "chunks/s/core",
                chunkRate(chunks, t -> scorer.score(t).score() > 0 ? 1 : 0),
                chunkBase,
                chunkBaseline,
                true));
        figures.add(new Figure(
                name(),
                "pii gate per 1,500-char chunk",
                "chunks/s/core",
                chunkRate(chunks, t -> detector.detect(t).size()),
                chunkBase,
                chunkBaseline,
                true));
        return figures;
    }

    private Figure quality(String figure, double value) {
        return new Figure(name(), figure, "ratio", value, "none (labelled corpus)", 0, true);
    }

    /** The injection gate scores chunks: the text in 1,500-character pieces, as the chunker's maximum. */
    private static int scoreInChunks(InjectionScorer scorer, String text) {
        int flagged = 0;
        for (int start = 0; start < text.length(); start += 1500) {
            flagged += scorer.score(text.substring(start, Math.min(text.length(), start + 1500)))
                                    .score()
                            > 0
                    ? 1
                    : 0;
        }
        return flagged;
    }

    /** The text cut into the chunker's maximum of 1,500 characters. */
    private static List<String> chunks(String text) {
        List<String> chunks = new ArrayList<>();
        for (int start = 0; start < text.length(); start += 1500) {
            chunks.add(text.substring(start, Math.min(text.length(), start + 1500)));
        }
        return chunks;
    }

    /** Chunks/s on one thread, each chunk passed alone: one warm-up pass, then the best of three timed passes. */
    private static double chunkRate(List<String> chunks, ToIntFunction<String> perChunk) {
        return rate(chunks.size(), text -> chunks.stream().mapToInt(perChunk).sum(), "");
    }

    /** The corpora's texts repeated: realistic PII density and injection phrasing. */
    private static String throughputText(Path presidio, Path deepset, int copies) throws Exception {
        String corpus =
                Files.readString(presidio, StandardCharsets.UTF_8) + Files.readString(deepset, StandardCharsets.UTF_8);
        return corpus.repeat(copies);
    }

    /** Units (MB, chunks) per second on one thread: one warm-up pass, then the best of three timed passes. */
    private static double rate(double megabytes, ToIntFunction<String> pass, String text) {
        int sink = pass.applyAsInt(text);
        long best = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long started = System.nanoTime();
            sink += pass.applyAsInt(text);
            best = Math.min(best, System.nanoTime() - started);
        }
        if (sink == Integer.MIN_VALUE) {
            System.out.print("");
        }
        return megabytes / (best / 1e9);
    }
}
