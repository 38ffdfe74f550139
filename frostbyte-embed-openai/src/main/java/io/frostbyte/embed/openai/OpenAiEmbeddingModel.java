package io.frostbyte.embed.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.core.embed.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EmbeddingModel} over an OpenAI-compatible {@code POST /embeddings} (OpenAI, OpenRouter, vLLM, llama.cpp).
 * One HTTP request per call with {@code model}, {@code input} (array), {@code dimensions} and {@code encoding_format:
 * float}. 429, 5xx, timeouts and connection failures are retried up to {@code maxRetries} times with doubling backoff
 * (honouring {@code Retry-After} up to {@code maxBackoff}), then fail as {@code EMBED_FAILED} for the embed job's own
 * schedule. 4xx other than 429 fail at once. A response with another dimension fails as {@code DIMENSION_MISMATCH}.
 * The API key is only ever written to the {@code Authorization} header. Thread-safe.
 */
public final class OpenAiEmbeddingModel implements EmbeddingModel {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiEmbeddingModel.class);
    /** Largest response body read; 2048 vectors of 8192 floats as JSON stay well below. */
    private static final int MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

    private final OpenAiEmbeddingConfig config;
    private final HttpClient http;
    private final URI embeddingsUri;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Sleeper sleeper;

    /** How the client waits between retries; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public OpenAiEmbeddingModel(OpenAiEmbeddingConfig config) {
        this(config, d -> Thread.sleep(d.toMillis()));
    }

    public OpenAiEmbeddingModel(OpenAiEmbeddingConfig config, Sleeper sleeper) {
        this.config = requireNonNull(config, "config is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String base = config.endpoint().toString();
        this.embeddingsUri = URI.create((base.endsWith("/") ? base : base + "/") + "embeddings");
    }

    @Override
    public String modelId() {
        return config.model();
    }

    @Override
    public String version() {
        return config.version();
    }

    @Override
    public int dimension() {
        return config.dimensions();
    }

    @Override
    public int maxBatchSize() {
        return config.maxBatchSize();
    }

    @Override
    public List<Embedding> embedDocuments(List<String> texts) {
        requireNonNull(texts, "texts is null");
        if (texts.isEmpty() || texts.size() > config.maxBatchSize()) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "a batch holds 1 to " + config.maxBatchSize() + " texts, got " + texts.size());
        }
        return embed(texts);
    }

    @Override
    public Embedding embedQuery(String text) {
        return embed(List.of(requireNonNull(text, "text is null"))).getFirst();
    }

    private List<Embedding> embed(List<String> texts) {
        boolean[] truncated = new boolean[texts.size()];
        ObjectNode body = mapper.createObjectNode();
        body.put("model", config.model());
        ArrayNode input = body.putArray("input");
        for (int i = 0; i < texts.size(); i++) {
            String text = requireNonNull(texts.get(i), "text " + i + " is null");
            if (text.isEmpty()) {
                throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "text " + i + " is empty");
            }
            truncated[i] = text.length() > config.maxInputChars();
            input.add(truncated[i] ? cut(text, config.maxInputChars()) : text);
        }
        body.put("dimensions", config.dimensions());
        body.put("encoding_format", "float");
        byte[] payload;
        try {
            payload = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot serialize an embeddings request", e);
        }
        JsonNode response = call(payload, texts.size());
        return parse(response, truncated);
    }

    /** Cuts at a code point boundary. */
    private static String cut(String text, int maxChars) {
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end);
    }

    private JsonNode call(byte[] payload, int inputs) {
        HttpRequest request = HttpRequest.newBuilder(embeddingsUri)
                .timeout(config.timeout())
                .header("Authorization", "Bearer " + config.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        Duration backoff = config.initialBackoff();
        for (int attempt = 0; ; attempt++) {
            String failure;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                byte[] bytes;
                try (InputStream in = response.body()) {
                    bytes = in.readNBytes(MAX_RESPONSE_BYTES);
                }
                if (status == 200) {
                    return readJson(bytes);
                }
                failure = "HTTP " + status + errorMessage(bytes);
                if (status != 429 && status < 500) {
                    throw new FrostbyteException(
                            ErrorCode.EMBED_FAILED, "embeddings endpoint refused the request: " + failure);
                }
                retryAfter = response.headers().firstValue("Retry-After").flatMap(OpenAiEmbeddingModel::seconds);
            } catch (HttpTimeoutException e) {
                failure = "timeout after " + config.timeout().toMillis() + " ms";
            } catch (IOException e) {
                failure = "I/O failure: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrostbyteException(ErrorCode.EMBED_FAILED, "interrupted while embedding");
            }
            if (attempt >= config.maxRetries()) {
                throw new FrostbyteException(
                        ErrorCode.EMBED_FAILED,
                        "embeddings endpoint failed " + (attempt + 1) + " times, last: " + failure);
            }
            Duration wait = min(retryAfter.orElse(backoff), config.maxBackoff());
            LOG.warn(
                    "embeddings call for {} inputs failed ({}); retry {} of {} in {} ms",
                    inputs,
                    failure,
                    attempt + 1,
                    config.maxRetries(),
                    wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrostbyteException(ErrorCode.EMBED_FAILED, "interrupted while waiting to retry");
            }
            backoff = min(backoff.multipliedBy(2), config.maxBackoff());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Optional<Duration> seconds(String header) {
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The server's {@code error.message}, shortened; the request (and so the key) is never echoed. */
    private String errorMessage(byte[] bytes) {
        try {
            JsonNode message = mapper.readTree(bytes).path("error").path("message");
            if (message.isTextual()) {
                String text = message.asText();
                return ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON; the status says enough
        }
        return "";
    }

    private JsonNode readJson(byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.EMBED_FAILED, "embeddings response is not JSON");
        }
    }

    private List<Embedding> parse(JsonNode response, boolean[] truncated) {
        JsonNode data = response == null ? null : response.get("data");
        if (data == null || !data.isArray() || data.size() != truncated.length) {
            throw new FrostbyteException(
                    ErrorCode.EMBED_FAILED, "embeddings response has no data array of " + truncated.length + " items");
        }
        float[][] vectors = new float[truncated.length][];
        for (JsonNode item : data) {
            JsonNode index = item.get("index");
            JsonNode embedding = item.get("embedding");
            if (index == null || !index.canConvertToInt() || embedding == null || !embedding.isArray()) {
                throw new FrostbyteException(ErrorCode.EMBED_FAILED, "embeddings response item lacks index/embedding");
            }
            int i = index.asInt();
            if (i < 0 || i >= vectors.length || vectors[i] != null) {
                throw new FrostbyteException(ErrorCode.EMBED_FAILED, "embeddings response has a bad index " + i);
            }
            if (embedding.size() != config.dimensions()) {
                throw new FrostbyteException(
                        ErrorCode.DIMENSION_MISMATCH,
                        config.model() + " returned dimension " + embedding.size() + ", expected "
                                + config.dimensions());
            }
            float[] vector = new float[embedding.size()];
            for (int d = 0; d < vector.length; d++) {
                JsonNode component = embedding.get(d);
                if (!component.isNumber()) {
                    throw new FrostbyteException(ErrorCode.EMBED_FAILED, "embeddings response has a non-number");
                }
                vector[d] = component.floatValue();
            }
            vectors[i] = vector;
        }
        List<Embedding> out = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            try {
                out.add(new Embedding(Vectors.l2Normalized(vectors[i]), truncated[i]));
            } catch (FrostbyteException e) {
                throw new FrostbyteException(ErrorCode.EMBED_FAILED, "embeddings response has an unusable vector", e);
            }
        }
        return List.copyOf(out);
    }
}
