package io.frostbyte.embed.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.Vectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real all-MiniLM-L6-v2 (quantized) from its Maven artifact, on real XQuAD paragraphs and questions. */
class OnnxEmbeddingModelTest {
    private static final Path CORPUS = Path.of("../../shared/corpus/retrieval-xquad-en/beir-format");

    private static OnnxEmbeddingModel model;
    private static Map<String, String> paragraphs;
    private static Map<String, String> questions;

    @BeforeAll
    static void load() throws IOException {
        model = OnnxEmbeddingModel.miniLmL6V2Quantized(2);
        paragraphs = readJsonl(CORPUS.resolve("corpus.jsonl"));
        questions = readJsonl(CORPUS.resolve("queries.jsonl"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Map<String, String> readJsonl(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode node = mapper.readTree(line);
                out.put(node.get("_id").asText(), node.get("text").asText());
            }
        }
        return out;
    }

    @Test
    void reports_the_minilm_profile() {
        assertThat(model.modelId()).isEqualTo("all-MiniLM-L6-v2");
        assertThat(model.version()).isEqualTo("1.0");
        assertThat(model.dimension()).isEqualTo(384);
        assertThat(model.descriptor().maxTokens()).isEqualTo(256);
    }

    @Test
    void embeds_a_paragraph_into_384_dimensions_with_unit_norm() {
        Embedding embedding =
                model.embedDocuments(List.of(paragraphs.get("a00-p00"))).getFirst();

        assertThat(embedding.dimension()).isEqualTo(384);
        assertThat(Math.sqrt(Vectors.dot(embedding.vector(), embedding.vector())))
                .isCloseTo(1.0, within(1e-5));
        assertThat(embedding.truncated()).isFalse();
    }

    @Test
    void embeds_the_same_text_to_the_same_bytes_every_time() {
        String text = paragraphs.get("a00-p01");
        String first =
                Vectors.sha256Hex(model.embedDocuments(List.of(text)).getFirst().vector());
        String second =
                Vectors.sha256Hex(model.embedDocuments(List.of(text)).getFirst().vector());

        assertThat(second).isEqualTo(first);
    }

    @Test
    void places_a_question_closer_to_its_paragraph_than_to_an_unrelated_one() {
        // qrels: 56beb4343aeaaa14008c925c -> a00-p00 (Super Bowl 50); a paragraph of another article is unrelated
        float[] question =
                model.embedQuery(questions.get("56beb4343aeaaa14008c925c")).vector();
        String unrelatedId = paragraphs.keySet().stream()
                .filter(id -> !id.startsWith("a00-"))
                .findFirst()
                .orElseThrow();
        float[] relevant = model.embedDocuments(List.of(paragraphs.get("a00-p00")))
                .getFirst()
                .vector();
        float[] unrelated = model.embedDocuments(List.of(paragraphs.get(unrelatedId)))
                .getFirst()
                .vector();

        double toRelevant = Vectors.cosine(question, relevant);
        double toUnrelated = Vectors.cosine(question, unrelated);
        assertThat(toRelevant).isGreaterThan(toUnrelated + 0.2);
    }

    @Test
    void places_paraphrases_closer_than_unrelated_sentences() {
        List<Embedding> e = model.embedDocuments(List.of(
                "The invoice was paid last week.",
                "Payment for the bill went through seven days ago.",
                "Penguins live in the southern hemisphere."));

        double paraphrase = Vectors.cosine(e.get(0).vector(), e.get(1).vector());
        double unrelated = Vectors.cosine(e.get(0).vector(), e.get(2).vector());
        assertThat(paraphrase).isGreaterThan(0.5);
        assertThat(unrelated).isLessThan(0.2);
    }

    @Test
    void gives_each_text_of_a_batch_exactly_the_vector_it_gets_alone() {
        List<String> texts = new ArrayList<>(paragraphs.values()).subList(0, 16);
        List<Embedding> batch = model.embedDocuments(texts);

        for (int i = 0; i < texts.size(); i++) {
            Embedding alone = model.embedDocuments(List.of(texts.get(i))).getFirst();
            assertThat(batch.get(i)).as("text %d", i).isEqualTo(alone);
        }
    }

    @Test
    void gives_bit_identical_vectors_with_one_thread_and_with_parallel_workers_in_any_batch_order() {
        List<String> texts = new ArrayList<>(paragraphs.values()).subList(0, 32);
        List<String> reversed = new ArrayList<>(texts);
        Collections.reverse(reversed);
        try (OnnxEmbeddingModel sequential = OnnxEmbeddingModel.miniLmL6V2Quantized(1);
                OnnxEmbeddingModel parallel = OnnxEmbeddingModel.miniLmL6V2Quantized(3)) {
            List<Embedding> one = sequential.embedDocuments(texts);
            List<Embedding> three = parallel.embedDocuments(reversed);

            for (int i = 0; i < texts.size(); i++) {
                Embedding fromParallel = three.get(texts.size() - 1 - i);
                assertThat(fromParallel).as("text %d", i).isEqualTo(one.get(i));
                assertThat(Vectors.sha256Hex(fromParallel.vector()))
                        .as("text %d", i)
                        .isEqualTo(Vectors.sha256Hex(one.get(i).vector()));
            }
        }
    }

    @Test
    void embeds_batches_from_concurrent_callers_to_the_vectors_each_text_gets_alone() throws Exception {
        List<String> texts = new ArrayList<>(paragraphs.values()).subList(40, 56);
        List<Embedding> alone = texts.stream()
                .map(t -> model.embedDocuments(List.of(t)).getFirst())
                .toList();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<List<Embedding>>> results = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                results.add(callers.submit(() -> model.embedDocuments(texts)));
            }
            for (java.util.concurrent.Future<List<Embedding>> result : results) {
                assertThat(result.get()).containsExactlyElementsOf(alone);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void keeps_padded_batches_close_to_single_results_but_not_exact() {
        List<String> texts = new ArrayList<>(paragraphs.values()).subList(0, 8);
        try (OnnxEmbeddingModel padded = OnnxEmbeddingModel.miniLmL6V2Quantized(2, InferenceMode.PADDED_BATCH)) {
            List<Embedding> batch = padded.embedDocuments(texts);
            for (int i = 0; i < texts.size(); i++) {
                float[] alone =
                        model.embedDocuments(List.of(texts.get(i))).getFirst().vector();
                assertThat(Vectors.cosine(batch.get(i).vector(), alone))
                        .as("text %d", i)
                        .isGreaterThan(0.98);
            }
        }
    }

    @Test
    void flags_a_text_longer_than_the_window_as_truncated_and_only_that_one() {
        String longText = String.join(" ", Collections.nCopies(4, paragraphs.get("a00-p00")));
        String shortText = questions.get("56beb4343aeaaa14008c925b");
        assertThat(model.tokenCount(longText)).isEqualTo(256);

        List<Embedding> e = model.embedDocuments(List.of(longText, shortText));

        assertThat(e.get(0).truncated()).isTrue();
        assertThat(e.get(1).truncated()).isFalse();
        assertThat(e.get(0).dimension()).isEqualTo(384);
    }

    @Test
    void a_text_cut_to_the_window_is_the_same_input_as_that_text_followed_by_more_and_embeds_to_the_same_bytes() {
        String chunk = String.join(" ", Collections.nCopies(4, paragraphs.get("a00-p00")));
        String classifierInput = chunk + "\n" + paragraphs.get("a00-p01");

        assertThat(model.sameDocumentInput(classifierInput, chunk)).isTrue();
        List<Embedding> e = model.embedDocuments(List.of(classifierInput, chunk));
        assertThat(e.get(0).vector()).isEqualTo(e.get(1).vector());
        assertThat(e.get(0).truncated()).isTrue();
        assertThat(e.get(1).truncated()).isTrue();
    }

    @Test
    void a_whole_text_is_the_same_input_as_that_text_with_a_trailing_newline_and_embeds_to_the_same_bytes() {
        String chunk = paragraphs.get("a00-p01");

        assertThat(model.sameDocumentInput(chunk + "\n", chunk)).isTrue();
        List<Embedding> e = model.embedDocuments(List.of(chunk + "\n", chunk));
        assertThat(e.get(0).vector()).isEqualTo(e.get(1).vector());
        assertThat(e.get(0).truncated()).isFalse();
    }

    @Test
    void texts_that_differ_within_the_window_or_in_being_cut_are_different_inputs() {
        String whole = paragraphs.get("a00-p01");
        String atTheWindow = String.join(" ", Collections.nCopies(4, paragraphs.get("a00-p00")));

        assertThat(model.sameDocumentInput(whole, whole + " " + paragraphs.get("a00-p02")))
                .isFalse();
        assertThat(model.sameDocumentInput(whole, questions.get("56beb4343aeaaa14008c925b")))
                .isFalse();
        // the longest start of the text that fits the window whole, against the text cut to the window
        String fits = longestWholePrefix(atTheWindow);
        assertThat(model.embedDocuments(List.of(atTheWindow)).getFirst().truncated())
                .isTrue();
        assertThat(model.sameDocumentInput(fits, atTheWindow)).isFalse();
    }

    @Test
    void padded_batches_never_claim_two_texts_are_the_same_input() {
        try (OnnxEmbeddingModel padded = OnnxEmbeddingModel.miniLmL6V2Quantized(2, InferenceMode.PADDED_BATCH)) {
            String chunk = paragraphs.get("a00-p01");
            assertThat(padded.sameDocumentInput(chunk + "\n", chunk)).isFalse();
        }
    }

    /** The longest start of {@code text}, ending before a space, that the model embeds without cutting it. */
    private static String longestWholePrefix(String text) {
        List<Integer> spaces = new ArrayList<>();
        for (int i = text.indexOf(' '); i > 0; i = text.indexOf(' ', i + 1)) {
            spaces.add(i);
        }
        int low = 0;
        int high = spaces.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) / 2;
            boolean cut = model.embedDocuments(List.of(text.substring(0, spaces.get(middle))))
                    .getFirst()
                    .truncated();
            if (cut) {
                high = middle - 1;
            } else {
                low = middle;
            }
        }
        return text.substring(0, spaces.get(low));
    }

    @Test
    void embeds_a_truncated_text_from_its_start_not_its_tail() {
        // a00-p00 fills most of the 256-token window; six copies of a00-p01 follow beyond it
        String start = paragraphs.get("a00-p00");
        String tail = paragraphs.get("a00-p01");
        String text = start + " " + String.join(" ", Collections.nCopies(6, tail));

        Embedding whole = model.embedDocuments(List.of(text)).getFirst();
        float[] startAlone = model.embedDocuments(List.of(start)).getFirst().vector();
        float[] tailAlone = model.embedDocuments(List.of(tail)).getFirst().vector();

        assertThat(whole.truncated()).isTrue();
        assertThat(Vectors.cosine(whole.vector(), startAlone)).isGreaterThan(Vectors.cosine(whole.vector(), tailAlone));
    }

    @Test
    void rejects_an_empty_batch_and_one_over_the_limit() {
        assertThatThrownBy(() -> model.embedDocuments(List.of()))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThatThrownBy(() -> model.embedDocuments(Collections.nCopies(257, "x")))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }

    @Test
    void loads_a_model_directory_and_applies_its_query_prefix(@TempDir Path dir) throws IOException {
        copyResource("/all-minilm-l6-v2-q.onnx", dir.resolve("model.onnx"));
        copyResource("/all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
        Files.writeString(
                dir.resolve("frostbyte-model.json"), """
                {"name": "minilm-prefixed", "version": "t1", "dimensions": 384, "pooling": "mean", "normalize": true,
                 "max_tokens": 128, "document_prefix": "", "query_prefix": "search_query: ",
                 "sha256": "%s"}""".formatted(OnnxModelDescriptor.MINILM_L6_V2_Q.sha256()));
        String text = questions.get("56beb4343aeaaa14008c925b");

        try (OnnxEmbeddingModel fromDirectory = OnnxEmbeddingModel.fromDirectory(dir, 1)) {
            assertThat(fromDirectory.modelId()).isEqualTo("minilm-prefixed");
            assertThat(fromDirectory.descriptor().maxTokens()).isEqualTo(128);
            float[] document =
                    fromDirectory.embedDocuments(List.of(text)).getFirst().vector();
            float[] query = fromDirectory.embedQuery(text).vector();

            assertThat(Vectors.cosine(
                            document,
                            model.embedDocuments(List.of(text)).getFirst().vector()))
                    .isGreaterThan(0.9999);
            assertThat(Vectors.cosine(document, query)).isLessThan(0.99);
        }
    }

    @Test
    void refuses_a_model_file_whose_sha256_differs_from_its_descriptor(@TempDir Path dir) throws IOException {
        copyResource("/all-minilm-l6-v2-q.onnx", dir.resolve("model.onnx"));
        copyResource("/all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("frostbyte-model.json"), """
                {"name": "x", "version": "1", "dimensions": 384, "pooling": "mean", "normalize": true,
                 "max_tokens": 256, "sha256": "%s"}""".formatted("0".repeat(64)));

        assertThatThrownBy(() -> OnnxEmbeddingModel.fromDirectory(dir, 1))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains(OnnxModelDescriptor.MINILM_L6_V2_Q.sha256());
                });
    }

    @Test
    void rejects_a_descriptor_with_an_unknown_key_or_bad_pooling() {
        String base =
                "{\"name\": \"x\", \"version\": \"1\", \"dimensions\": 384, \"normalize\": true, \"max_tokens\": 256,"
                        + " \"sha256\": \"" + "a".repeat(64) + "\", ";
        assertThatThrownBy(() -> OnnxModelDescriptor.read(stream(base + "\"pooling\": \"mean\", \"colour\": 1}")))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThatThrownBy(() -> OnnxModelDescriptor.read(stream(base + "\"pooling\": \"max\"}")))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        assertThat(OnnxModelDescriptor.read(stream(base + "\"pooling\": \"cls\"}"))
                        .pooling())
                .isEqualTo(Pooling.CLS);
    }

    private static InputStream stream(String json) {
        return new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = OnnxEmbeddingModel.class.getResourceAsStream(name)) {
            Files.copy(in, target);
        }
    }
}
