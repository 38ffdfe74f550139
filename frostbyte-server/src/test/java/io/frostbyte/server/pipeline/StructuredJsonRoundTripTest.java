package io.frostbyte.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.CanonicalDocumentJson;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import io.frostbyte.core.intake.IntakeType;
import io.frostbyte.parser.TikaDocumentParser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The policy stage reads {@code structured.json} back instead of parsing the raw object again: reading is the exact
 * inverse of writing on real corpus documents of every accepted format.
 */
class StructuredJsonRoundTripTest {
    private static final Path CORPUS = Path.of("../../shared/corpus");
    private static final Set<String> EXTENSIONS = Set.of("pdf", "docx", "xlsx", "txt", "csv", "pptx", "html", "md");
    private static final TenantId TENANT = TenantId.of("round-trip");

    @Test
    void write_of_read_of_write_equals_write_on_corpus_documents() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(path -> EXTENSIONS.contains(extension(path)))
                    .filter(path -> path.toFile().length() < 400_000)
                    .sorted()
                    .toList();
        }
        TikaDocumentParser parser = new TikaDocumentParser();
        int checked = 0;
        for (int i = 0; i < files.size(); i += 3) {
            Path file = files.get(i);
            ParseOutcome outcome;
            try (InputStream in = Files.newInputStream(file)) {
                outcome = parser.parse(TENANT, in, mimeType(file), ParseLimits.defaults());
            }
            if (outcome instanceof ParseOutcome.Parsed parsed) {
                String json = CanonicalDocumentJson.write(parsed.document());
                assertThat(CanonicalDocumentJson.write(CanonicalDocumentJson.read(json)))
                        .as(file.toString())
                        .isEqualTo(json);
                assertThat(CanonicalDocumentJson.read(json)).as(file.toString()).isEqualTo(parsed.document());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(40);
    }

    private static String mimeType(Path path) {
        for (IntakeType type : IntakeType.values()) {
            if (type.hasExtension(extension(path))) {
                return type.mimeType();
            }
        }
        throw new IllegalArgumentException(path.toString());
    }

    private static String extension(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
