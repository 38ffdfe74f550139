package io.frostbyte.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Texts of the shared corpus for tests that compare the gates' outputs: the labelled injection and PII samples, and the
 * corpus's plain-text documents (read as UTF-8) whole and cut into chunks of at most {@value #CHUNK} characters.
 */
final class CorpusTexts {
    static final Path CORPUS = Path.of("../../shared/corpus");
    static final int CHUNK = 1500;
    private static final String DEEPSET = "injection-deepset/train.jsonl";
    private static final String PRESIDIO = "pii-presidio/synth_dataset_v2.even.json";

    private CorpusTexts() {}

    /** Group name (a labelled set's block of 100 samples, or a document's path) to its texts, in a fixed order. */
    static Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> deepset = new ArrayList<>();
        for (String line : read(CORPUS.resolve(DEEPSET)).split("\n")) {
            if (!line.isBlank()) {
                deepset.add((String) ((Map<?, ?>) Json.parse(line)).get("text"));
            }
        }
        addBlocks(groups, "injection-deepset", deepset);
        List<String> presidio = new ArrayList<>();
        for (Object sample : (List<?>) Json.parse(read(CORPUS.resolve(PRESIDIO)))) {
            presidio.add((String) ((Map<?, ?>) sample).get("full_text"));
        }
        addBlocks(groups, "pii-presidio", presidio);
        for (Path document : documents()) {
            String text = read(document);
            List<String> texts = new ArrayList<>();
            texts.add(text);
            for (int start = 0; start < text.length(); start += CHUNK) {
                texts.add(text.substring(start, Math.min(text.length(), start + CHUNK)));
            }
            groups.put(CORPUS.relativize(document).toString().replace('\\', '/'), texts);
        }
        return groups;
    }

    /** Every text of {@link #groups()} in order. */
    static List<String> all() {
        return groups().values().stream().flatMap(List::stream).toList();
    }

    private static void addBlocks(Map<String, List<String>> groups, String name, List<String> samples) {
        for (int from = 0; from < samples.size(); from += 100) {
            groups.put(
                    name + " samples " + from + "-" + (Math.min(samples.size(), from + 100) - 1),
                    samples.subList(from, Math.min(samples.size(), from + 100)));
        }
    }

    private static List<Path> documents() {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.startsWith("LICENSE")
                                && name.matches(".*\\.(txt|md|csv|html|htm|eml|itxt|json)$")
                                && !p.endsWith(PRESIDIO);
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
