package io.frostbyte.core.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The XQuAD English passages, questions and answer spans of {@code ../shared/corpus/retrieval-xquad-en} (CC BY-SA 4.0),
 * for tests that need real text.
 */
public final class XquadCorpus {
    private static final Path DIRECTORY = Path.of("../../shared/corpus/retrieval-xquad-en/beir-format");

    /** One question with the passage that answers it and the answer's character span in that passage. */
    public record Question(String id, String text, String passageId, String answer, int answerStart, int answerEnd) {}

    private XquadCorpus() {}

    /** Passage id to passage text, in file order. */
    public static Map<String, String> passages() {
        Map<String, String> passages = new LinkedHashMap<>();
        for (Map<String, Object> line : lines("corpus.jsonl")) {
            passages.put((String) line.get("_id"), (String) line.get("text"));
        }
        return passages;
    }

    /** Every question with its gold answer, in file order. */
    public static List<Question> questions() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Map<String, Object> line : lines("queries.jsonl")) {
            texts.put((String) line.get("_id"), (String) line.get("text"));
        }
        return lines("answers.jsonl").stream()
                .map(line -> new Question(
                        (String) line.get("query_id"),
                        texts.get((String) line.get("query_id")),
                        (String) line.get("doc_id"),
                        (String) line.get("answer_text"),
                        ((Number) line.get("answer_start")).intValue(),
                        ((Number) line.get("answer_end")).intValue()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lines(String file) {
        try {
            return Files.readAllLines(DIRECTORY.resolve(file), StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> (Map<String, Object>) StrictJson.parse(line))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
