package io.frostbyte.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gates' outputs on the corpus stay exactly those of their versions: for each group of {@link CorpusTexts}, a
 * SHA-256 over every text's injection verdict (score, action, categories) and PII spans (type and code-point offsets)
 * equals the one recorded in {@value #RECORDED}. The recorded digests were computed by the scorer and detector before
 * their anchor and shape prefilters existed, so a prefilter that skipped a real match would show here.
 *
 * <p>A deliberate change of detection bumps {@link InjectionScorer#VERSION} or {@link PiiDetector#VERSION} and records
 * new digests: run {@link #main} with the module directory as working directory and save its output as the new file.
 */
class GateOutputsTest {
    static final String RECORDED = "gate-outputs-" + "fb-inj-1.0.0" + "-" + "fb-pii-1.0.0" + ".tsv";

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void verdicts_and_spans_on_the_corpus_equal_those_recorded_for_these_versions() throws IOException {
        assertThat(RECORDED)
                .isEqualTo("gate-outputs-"
                        + InjectionScorer.VERSION.replace('/', '-')
                        + "-"
                        + PiiDetector.VERSION.replace('/', '-')
                        + ".tsv");

        Map<String, String> current = digests();

        assertThat(current).hasSizeGreaterThan(300);
        assertThat(current).containsExactlyEntriesOf(recorded());
    }

    /** Prints the digests of the current code, in the format of {@value #RECORDED}. */
    public static void main(String[] args) {
        digests().forEach((group, digest) -> System.out.println(group + "\t" + digest));
    }

    static Map<String, String> digests() {
        InjectionScorer scorer = new InjectionScorer();
        PiiDetector detector = new PiiDetector();
        Map<String, String> digests = new LinkedHashMap<>();
        CorpusTexts.groups().forEach((group, texts) -> {
            StringBuilder outputs = new StringBuilder();
            for (String text : texts) {
                InjectionVerdict verdict = scorer.score(text);
                outputs.append(verdict.score())
                        .append(' ')
                        .append(verdict.action())
                        .append(' ')
                        .append(verdict.patternsMatched())
                        .append(' ')
                        .append(detector.detect(text).stream()
                                .map(s -> s.type() + ":" + s.start() + "-" + s.end())
                                .collect(Collectors.joining(",")))
                        .append('\n');
            }
            digests.put(group, sha256(outputs.toString()));
        });
        return digests;
    }

    private static Map<String, String> recorded() throws IOException {
        try (InputStream in = GateOutputsTest.class.getResourceAsStream(RECORDED)) {
            assertThat(in).as(RECORDED).isNotNull();
            Map<String, String> recorded = new LinkedHashMap<>();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            for (String line : lines) {
                int tab = line.lastIndexOf('\t');
                recorded.put(line.substring(0, tab), line.substring(tab + 1));
            }
            return recorded;
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
