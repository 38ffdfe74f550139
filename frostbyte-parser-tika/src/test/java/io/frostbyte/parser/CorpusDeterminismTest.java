package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.document.CanonicalDocumentJson;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusDeterminismTest {
    @Test
    void every_parseable_docling_file_parsed_twice_gives_byte_identical_json() {
        List<Path> sources = Corpus.files("docling-testdata").stream()
                .filter(path -> !path.toString().contains("/groundtruth/"))
                .toList();
        ParseLimits limits = ParseLimits.defaults().withTimeout(Duration.ofSeconds(20));
        int parsed = 0;
        for (Path path : sources) {
            ParseOutcome first = Corpus.parse(path, limits);
            ParseOutcome second = Corpus.parse(path, limits);
            if (first instanceof ParseOutcome.Parsed one && second instanceof ParseOutcome.Parsed two) {
                assertThat(CanonicalDocumentJson.write(two.document()))
                        .as(path.toString())
                        .isEqualTo(CanonicalDocumentJson.write(one.document()));
                Corpus.assertOffsetsIndexTheCanonicalText(one.document());
                parsed++;
            } else {
                assertThat(second).as(path.toString()).isEqualTo(first);
            }
        }
        assertThat(sources).hasSizeGreaterThan(55);
        assertThat(parsed).isGreaterThan(55);
    }
}
