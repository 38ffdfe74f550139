package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CorpusRobustnessTest {
    private static final Duration PER_FILE = Duration.ofSeconds(10);

    @Test
    void every_tika_and_unstructured_file_parses_or_fails_with_a_categorized_code_within_its_limit() {
        List<Path> files = new ArrayList<>(Corpus.files("tika-test-documents"));
        files.addAll(Corpus.files("unstructured-example-docs"));
        ParseLimits limits = ParseLimits.defaults().withTimeout(PER_FILE);
        Map<String, ErrorCode> failures = new TreeMap<>();
        int parsed = 0;
        for (Path path : files) {
            long start = System.nanoTime();
            ParseOutcome outcome = Corpus.parse(path, limits);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as(path.toString())
                    .isLessThan(PER_FILE.plusSeconds(2));
            switch (outcome) {
                case ParseOutcome.Parsed(var document) -> {
                    Corpus.assertOffsetsIndexTheCanonicalText(document);
                    parsed++;
                }
                case ParseOutcome.Failed(var code, var message) -> {
                    assertThat(ParseOutcome.FAILURE_CODES).contains(code);
                    assertThat(message).startsWith("").doesNotContainPattern("\\p{Cntrl}");
                    failures.put(Corpus.ROOT.relativize(path).toString(), code);
                }
            }
        }
        assertThat(files).hasSizeGreaterThan(250);
        assertThat(parsed).as(failures.toString()).isGreaterThanOrEqualTo(190);
        assertThat(failures)
                .containsEntry("unstructured-example-docs/pdf/password.pdf", ErrorCode.FILE_ENCRYPTED)
                .containsEntry("tika-test-documents/docx/testWORD_truncated.docx", ErrorCode.FILE_CORRUPTED)
                .containsEntry("unstructured-example-docs/empty.txt", ErrorCode.NO_TEXT_EXTRACTED)
                .doesNotContainValue(ErrorCode.PARSE_TIMEOUT);
    }
}
