package io.frostbyte.embed.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.Vectors;
import io.frostbyte.embed.openai.FakeEmbeddingsServer.Fault;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingModelTest {
    private FakeEmbeddingsServer server;
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        server = new FakeEmbeddingsServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiEmbeddingConfig config(String key, Duration timeout, int maxRetries) {
        return new OpenAiEmbeddingConfig(
                server.endpoint(),
                key,
                "openai/text-embedding-3-small",
                "2024-01-25",
                768,
                64,
                timeout,
                maxRetries,
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                1000);
    }

    private OpenAiEmbeddingModel model() {
        return new OpenAiEmbeddingModel(config(FakeEmbeddingsServer.KEY, Duration.ofSeconds(5), 2), waits::add);
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void sends_the_documented_request_and_returns_vectors_in_input_order() {
        List<Embedding> embeddings = model().embedDocuments(List.of("first chunk", "second chunk", "third chunk"));

        FakeEmbeddingsServer.Seen request = server.seen().getFirst();
        assertThat(request.authorization()).isEqualTo("Bearer " + FakeEmbeddingsServer.KEY);
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.body().get("model").asText()).isEqualTo("openai/text-embedding-3-small");
        assertThat(request.body().get("dimensions").asInt()).isEqualTo(768);
        assertThat(request.body().get("encoding_format").asText()).isEqualTo("float");
        assertThat(request.body().get("input")).hasSize(3);
        assertThat(request.body().get("input").get(1).asText()).isEqualTo("second chunk");
        // the fake lists items in reverse; each must land at its index
        for (int i = 0; i < 3; i++) {
            float[] expected = Vectors.l2Normalized(FakeEmbeddingsServer.vectorFor(
                    List.of("first chunk", "second chunk", "third chunk").get(i), 768));
            assertThat(embeddings.get(i).vector()).containsExactly(expected);
            assertThat(embeddings.get(i).truncated()).isFalse();
        }
        assertThat(Math.sqrt(Vectors.dot(
                        embeddings.get(0).vector(), embeddings.get(0).vector())))
                .isCloseTo(1.0, within(1e-6));
    }

    @Test
    void retries_a_429_after_the_wait_the_server_asks_for() {
        server.enqueue(
                new Fault(429, FakeEmbeddingsServer.error("Rate limit reached", "rate_limit_exceeded"), "3", 0, 0));

        Embedding embedding = model().embedQuery("query");

        assertThat(embedding.dimension()).isEqualTo(768);
        assertThat(server.seen()).hasSize(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void retries_5xx_with_doubling_backoff_then_succeeds() {
        server.enqueue(Fault.status(500, FakeEmbeddingsServer.error("server error", "server_error")));
        server.enqueue(Fault.status(503, "<html>unavailable</html>"));

        assertThat(model().embedDocuments(List.of("a"))).hasSize(1);

        assertThat(server.seen()).hasSize(3);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void fails_retriably_with_embed_failed_once_retries_are_spent() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(Fault.status(502, "bad gateway"));
        }

        assertThatThrownBy(() -> model().embedDocuments(List.of("a")))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.EMBED_FAILED);
                    assertThat(e.code().retriable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("embeddings endpoint failed 3 times, last: HTTP 502");
                });
        assertThat(server.seen()).hasSize(3);
    }

    @Test
    void does_not_retry_a_401_and_never_reveals_the_key() {
        String wrongKey = "sk-wrong-key-that-must-not-leak";
        OpenAiEmbeddingModel model = new OpenAiEmbeddingModel(config(wrongKey, Duration.ofSeconds(5), 2), waits::add);

        assertThatThrownBy(() -> model.embedDocuments(List.of("a")))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.EMBED_FAILED);
                    assertThat(e.getMessage())
                            .isEqualTo("embeddings endpoint refused the request: HTTP 401: Incorrect API key provided")
                            .doesNotContain(wrongKey);
                });
        assertThat(server.seen()).hasSize(1);
        assertThat(waits).isEmpty();
        assertThat(config(wrongKey, Duration.ofSeconds(5), 2).toString())
                .doesNotContain(wrongKey)
                .contains("apiKey=***");
    }

    @Test
    void rejects_a_malformed_body_as_a_failed_call() {
        server.enqueue(new Fault(200, "{\"data\": [", null, 0, 0));
        assertCode(() -> model().embedDocuments(List.of("a")), ErrorCode.EMBED_FAILED);

        server.enqueue(new Fault(200, "{\"object\": \"list\", \"data\": []}", null, 0, 0));
        assertCode(() -> model().embedDocuments(List.of("a")), ErrorCode.EMBED_FAILED);
    }

    @Test
    void rejects_a_vector_of_another_dimension_and_never_pads_it() {
        server.enqueue(new Fault(200, null, null, 0, 1536));

        assertThatThrownBy(() -> model().embedDocuments(List.of("a")))
                .isInstanceOfSatisfying(FrostbyteException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH);
                    assertThat(e.code().retriable()).isFalse();
                    assertThat(e.getMessage())
                            .isEqualTo("openai/text-embedding-3-small returned dimension 1536, expected 768");
                });
    }

    @Test
    void rejects_a_zero_vector_as_a_failed_call() {
        String zeros = "[" + String.join(",", Collections.nCopies(768, "0.0")) + "]";
        server.enqueue(new Fault(200, "{\"data\":[{\"index\":0,\"embedding\":" + zeros + "}]}", null, 0, 0));

        assertCode(() -> model().embedDocuments(List.of("a")), ErrorCode.EMBED_FAILED);
    }

    @Test
    void times_out_a_slow_answer_and_retries_it() {
        server.enqueue(new Fault(200, null, null, 1500, 0));
        OpenAiEmbeddingModel model =
                new OpenAiEmbeddingModel(config(FakeEmbeddingsServer.KEY, Duration.ofMillis(300), 1), waits::add);

        assertThat(model.embedDocuments(List.of("a"))).hasSize(1);
        assertThat(waits).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void cuts_texts_over_the_input_limit_and_flags_them() {
        String longText = "x".repeat(1500);

        List<Embedding> embeddings = model().embedDocuments(List.of(longText, "short"));

        assertThat(server.seen().getFirst().body().get("input").get(0).asText()).hasSize(1000);
        assertThat(embeddings.get(0).truncated()).isTrue();
        assertThat(embeddings.get(1).truncated()).isFalse();
    }

    @Test
    void bounds_the_batch_size() {
        assertCode(() -> model().embedDocuments(List.of()), ErrorCode.VALIDATION_ERROR);
        assertCode(() -> model().embedDocuments(Collections.nCopies(65, "a")), ErrorCode.VALIDATION_ERROR);
        assertThat(server.seen()).isEmpty();
    }
}
