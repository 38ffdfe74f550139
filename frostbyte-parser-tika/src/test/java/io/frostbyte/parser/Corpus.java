package io.frostbyte.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.document.Block;
import io.frostbyte.core.document.CanonicalDocument;
import io.frostbyte.core.document.ParseLimits;
import io.frostbyte.core.document.ParseOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The shared evaluation corpus and helpers over it. */
final class Corpus {
    static final Path ROOT = Path.of("../../shared/corpus");
    static final TenantId TENANT = TenantId.of("acme-corp");
    static final TikaDocumentParser PARSER = new TikaDocumentParser();

    private Corpus() {}

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    static byte[] bytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The type intake would declare from the file name, for the formats that magic bytes cannot tell apart. */
    static String declaredType(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".md")) {
            return "text/markdown";
        }
        if (name.endsWith(".csv")) {
            return "text/csv";
        }
        if (name.endsWith(".tsv")) {
            return "text/tab-separated-values";
        }
        return null;
    }

    static ParseOutcome parse(Path path, ParseLimits limits) {
        return PARSER.parse(TENANT, new ByteArrayInputStream(bytes(path)), declaredType(path), limits);
    }

    static CanonicalDocument parsed(String relative) {
        ParseOutcome outcome = parse(file(relative), ParseLimits.defaults());
        assertThat(outcome).as(relative).isInstanceOf(ParseOutcome.Parsed.class);
        return ((ParseOutcome.Parsed) outcome).document();
    }

    static List<Path> files(String folder) {
        try (Stream<Path> walk = Files.walk(ROOT.resolve(folder))) {
            return walk.filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().matches("(?i)(LICENSE.*|NOTICE.*|README.*)"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertOffsetsIndexTheCanonicalText(CanonicalDocument document) {
        int[] codePoints = document.canonicalText().codePoints().toArray();
        for (Block block : document.blocks()) {
            assertThat(new String(codePoints, block.startChar(), block.endChar() - block.startChar()))
                    .isEqualTo(block.text());
        }
    }
}
