package io.frostbyte.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.policy.PolicyEvaluator.InjectionEvaluation;
import io.frostbyte.policy.PolicyEvaluator.PiiEvaluation;
import io.frostbyte.policy.PolicyEvaluator.RocPoint;
import io.frostbyte.policy.PolicyEvaluator.ScoredSample;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Floors well below the measured figures: a regression fails the build, the report prints the real numbers. */
class PolicyEvaluatorTest {
    private static final Path CORPUS = Path.of("../../shared/corpus");

    @Test
    void pii_detection_on_the_presidio_corpus_stays_above_its_floors() {
        PiiEvaluation evaluation = PolicyEvaluator.evaluatePii(
                new PiiDetector(), CORPUS.resolve("pii-presidio/synth_dataset_v2.even.json"));
        System.out.print(evaluation.report());

        assertThat(evaluation.samples()).isEqualTo(750);
        assertThat(evaluation.spans().get("EMAIL").f1()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.spans().get("SSN").f1()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.spans().get("IBAN").f1()).isGreaterThanOrEqualTo(0.95);
        assertThat(evaluation.spans().get("CREDIT_CARD").f1()).isGreaterThanOrEqualTo(0.90);
        assertThat(evaluation.spans().get("PHONE").f1()).isGreaterThanOrEqualTo(0.90);
        assertThat(evaluation.spans().get("PHONE").precision()).isGreaterThanOrEqualTo(0.90);
        assertThat(evaluation.spans().get("NAME").f1()).isGreaterThanOrEqualTo(0.70);
        assertThat(evaluation.spans().get("ADDRESS").f1()).isGreaterThanOrEqualTo(0.70);
    }

    @Test
    void pii_detection_meets_the_issue_aims_on_the_held_out_templates_too() {
        Path corpus = CORPUS.resolve("pii-presidio/synth_dataset_v2.even.json");
        PiiEvaluation tuning = PolicyEvaluator.evaluatePii(new PiiDetector(), corpus, PolicyEvaluator.PiiSplit.TUNING);
        PiiEvaluation heldOut =
                PolicyEvaluator.evaluatePii(new PiiDetector(), corpus, PolicyEvaluator.PiiSplit.HELD_OUT);
        System.out.print("tuning " + tuning.report() + "held-out " + heldOut.report());

        assertThat(tuning.samples() + heldOut.samples()).isEqualTo(750);
        assertThat(heldOut.samples()).isEqualTo(367);
        assertThat(heldOut.spans().get("PHONE").f1()).isGreaterThanOrEqualTo(0.90);
        assertThat(heldOut.spans().get("NAME").f1()).isGreaterThanOrEqualTo(0.70);
        assertThat(heldOut.spans().get("ADDRESS").f1()).isGreaterThanOrEqualTo(0.70);
        assertThat(heldOut.spans().get("CREDIT_CARD").f1()).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void a_gold_span_cut_into_pieces_by_the_detector_earns_one_correct_prediction_not_several() {
        PolicyEvaluator.Score score = new PolicyEvaluator.Score(1, 2, 0, 1);

        assertThat(score.precision()).isEqualTo(1.0 / 3);
        assertThat(score.recall()).isEqualTo(1.0);
    }

    @Test
    void injection_scoring_on_the_deepset_corpus_stays_above_its_floors() {
        InjectionEvaluation evaluation = PolicyEvaluator.evaluateInjection(
                new InjectionScorer(), CORPUS.resolve("injection-deepset/train.jsonl"));
        System.out.print(evaluation.report());

        assertThat(evaluation.truePositives() + evaluation.falseNegatives()).isEqualTo(203);
        assertThat(evaluation.falsePositives() + evaluation.trueNegatives()).isEqualTo(343);
        assertThat(evaluation.falsePositiveRate()).isLessThanOrEqualTo(0.05);
        assertThat(evaluation.precision()).isGreaterThanOrEqualTo(0.90);
        assertThat(evaluation.recall()).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void injection_scoring_meets_the_spec_gate_on_the_held_out_fifth_at_the_default_flag_threshold() {
        List<ScoredSample> all =
                PolicyEvaluator.scoreInjection(new InjectionScorer(), CORPUS.resolve("injection-deepset/train.jsonl"));
        List<ScoredSample> heldOut =
                all.stream().filter(s -> PolicyEvaluator.heldOut(s.id())).toList();
        InjectionEvaluation evaluation =
                PolicyEvaluator.evaluateInjection(heldOut, InjectionScorer.DEFAULT_FLAG_THRESHOLD);
        System.out.print("held-out " + evaluation.report());

        assertThat(heldOut).hasSize(110);
        assertThat(evaluation.recall()).isGreaterThanOrEqualTo(0.90);
        assertThat(evaluation.falsePositiveRate()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void the_roc_curve_runs_from_the_origin_and_never_decreases() {
        List<ScoredSample> all =
                PolicyEvaluator.scoreInjection(new InjectionScorer(), CORPUS.resolve("injection-deepset/train.jsonl"));

        List<RocPoint> roc = PolicyEvaluator.roc(all);

        assertThat(roc.getFirst()).isEqualTo(new RocPoint(Double.POSITIVE_INFINITY, 0, 0));
        assertThat(roc.getLast().truePositiveRate()).isEqualTo(1.0);
        assertThat(roc.getLast().falsePositiveRate()).isEqualTo(1.0);
        for (int i = 1; i < roc.size(); i++) {
            assertThat(roc.get(i).truePositiveRate())
                    .isGreaterThanOrEqualTo(roc.get(i - 1).truePositiveRate());
            assertThat(roc.get(i).falsePositiveRate())
                    .isGreaterThanOrEqualTo(roc.get(i - 1).falsePositiveRate());
        }
    }
}
