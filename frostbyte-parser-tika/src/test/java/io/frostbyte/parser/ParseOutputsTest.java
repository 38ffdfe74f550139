package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.document.CanonicalDocumentJson;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The parser's output on the corpus stays exactly that of its version: for every corpus document of the formats the
 * pipeline ingests, the SHA-256 of its canonical JSON (or its failure code) equals the one recorded in
 * {@value #RECORDED}. A change that only makes parsing faster must leave every digest as it is. OCR is off: its output
 * depends on the Tesseract build and, through its page timeout, on how busy the machine is (scanned pages then fail
 * with {@code OCR_UNAVAILABLE}, which is recorded like any other outcome).
 *
 * <p>A deliberate change of output bumps {@link TikaDocumentParser#VERSION} and records new digests: run {@link #main}
 * with the module directory as working directory and save its output as the new file.
 */
class ParseOutputsTest {
    static final String RECORDED = "parse-outputs-" + "0.3.0" + ".tsv";
    private static final TikaDocumentParser NO_OCR = new TikaDocumentParser(Optional.empty());
    private static final Set<String> FORMATS = Set.of("pdf", "docx", "xlsx", "pptx", "csv", "txt", "md", "html", "eml");

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void every_corpus_document_parses_to_the_canonical_json_recorded_for_this_version() throws IOException {
        assertThat(RECORDED).isEqualTo("parse-outputs-" + TikaDocumentParser.VERSION + ".tsv");

        Map<String, String> current = digests();

        assertThat(current).hasSizeGreaterThan(300);
        assertThat(current).containsExactlyEntriesOf(recorded());
    }

    /** Prints the digests of the current code, in the format of {@value #RECORDED}. */
    public static void main(String[] args) {
        digests().forEach((file, digest) -> System.out.println(file + "\t" + digest));
    }

    static Map<String, String> digests() {
        ParseLimits limits = ParseLimits.defaults().withTimeout(Duration.ofSeconds(60));
        Map<String, String> digests = new LinkedHashMap<>();
        for (String folder : new String[] {"docling-testdata", "tika-test-documents", "unstructured-example-docs"}) {
            for (Path path : Corpus.files(folder)) {
                String name = path.getFileName().toString();
                String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
                if (path.toString().contains("/groundtruth/") || !FORMATS.contains(extension)) {
                    continue;
                }
                String digest = switch (NO_OCR.parse(
                        Corpus.TENANT,
                        new ByteArrayInputStream(Corpus.bytes(path)),
                        Corpus.declaredType(path),
                        limits)) {
                    case ParseOutcome.Parsed parsed -> sha256(CanonicalDocumentJson.write(parsed.document()));
                    case ParseOutcome.Failed failed -> "failed:" + failed.code().name();
                };
                digests.put(Corpus.ROOT.relativize(path).toString(), digest);
            }
        }
        return digests;
    }

    private static Map<String, String> recorded() throws IOException {
        try (InputStream in = ParseOutputsTest.class.getResourceAsStream(RECORDED)) {
            assertThat(in).as(RECORDED).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank())
                    .map(line -> line.split("\t", 2))
                    .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1], (a, b) -> a, LinkedHashMap::new));
        }
    }

    private static String sha256(String json) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
