package io.frostbyte.embed.openai;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.answer.AnswerModel;
import io.frostbyte.core.answer.AnswerRequest;
import io.frostbyte.core.answer.ContentEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AnswerModel} over an OpenAI-compatible {@code POST /chat/completions} (OpenRouter, vLLM, llama.cpp). The
 * prompt is the content envelope of spec/03 POL-18: the fixed {@link ContentEnvelope#SYSTEM_MESSAGE}, and one user
 * message holding the excerpts between the markers, then the question; retrieved text is never put in a system
 * message. {@code temperature} 0, {@code max_tokens} from the request's settings. 429, 5xx, timeouts and connection
 * failures are retried up to {@code maxRetries} times with doubling backoff (honouring {@code Retry-After} up to
 * {@code maxBackoff}); every failure ends as {@code ANSWERER_UNAVAILABLE}. The reply is a draft for
 * {@link io.frostbyte.core.answer.CiteOnlyCheck}. Logs carry statuses and counts, never the prompt, the reply or the
 * API key, which is only ever written to the {@code Authorization} header. No retrieved chunks: {@code ""} without a
 * call. Thread-safe.
 */
public final class OpenAiAnswerModel implements AnswerModel {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiAnswerModel.class);
    /** Largest response body read; 8192 tokens of text with JSON overhead stay well below. */
    private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final OpenAiChatConfig config;
    private final HttpClient http;
    private final URI chatUri;
    private final ObjectMapper mapper = new ObjectMapper();
    private final OpenAiEmbeddingModel.Sleeper sleeper;

    public OpenAiAnswerModel(OpenAiChatConfig config) {
        this(config, d -> Thread.sleep(d.toMillis()));
    }

    /** @param sleeper how to wait between retries; tests pass one that records instead of sleeping */
    public OpenAiAnswerModel(OpenAiChatConfig config, OpenAiEmbeddingModel.Sleeper sleeper) {
        this.config = requireNonNull(config, "config is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String base = config.endpoint().toString();
        this.chatUri = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
    }

    @Override
    public String answerer() {
        return "openai";
    }

    @Override
    public Optional<String> model() {
        return Optional.of(config.model());
    }

    @Override
    public String answer(AnswerRequest request) {
        requireNonNull(request, "request is null");
        if (request.chunks().isEmpty()) {
            return "";
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("model", config.model());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", ContentEnvelope.SYSTEM_MESSAGE);
        messages.addObject().put("role", "user").put("content", ContentEnvelope.userMessage(request));
        body.put("temperature", 0);
        body.put("max_tokens", request.settings().maxTokens());
        body.put("stream", false);
        byte[] payload;
        try {
            payload = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot serialize a chat request", e);
        }
        return content(call(payload, request.chunks().size()));
    }

    private JsonNode call(byte[] payload, int chunks) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(chatUri)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
        config.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        HttpRequest request = builder.build();
        Duration backoff = config.initialBackoff();
        for (int attempt = 0; ; attempt++) {
            String failure;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                byte[] bytes;
                try (InputStream in = response.body()) {
                    bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                }
                if (bytes.length > MAX_RESPONSE_BYTES) {
                    throw unavailable("chat response is over " + MAX_RESPONSE_BYTES + " bytes");
                }
                if (status == 200) {
                    return readJson(bytes);
                }
                failure = "HTTP " + status;
                if (status != 429 && status < 500) {
                    // the server's error text may echo the prompt, so only the status is reported
                    throw unavailable("chat endpoint refused the request: " + failure);
                }
                retryAfter = response.headers().firstValue("Retry-After").flatMap(OpenAiAnswerModel::seconds);
            } catch (HttpTimeoutException e) {
                failure = "timeout after " + config.timeout().toMillis() + " ms";
            } catch (IOException e) {
                failure = "I/O failure: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted while answering");
            }
            if (attempt >= config.maxRetries()) {
                throw unavailable("chat endpoint failed " + (attempt + 1) + " times, last: " + failure);
            }
            Duration wait = min(retryAfter.orElse(backoff), config.maxBackoff());
            LOG.warn(
                    "chat call over {} chunks failed ({}); retry {} of {} in {} ms",
                    chunks,
                    failure,
                    attempt + 1,
                    config.maxRetries(),
                    wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted while waiting to retry");
            }
            backoff = min(backoff.multipliedBy(2), config.maxBackoff());
        }
    }

    private String content(JsonNode response) {
        JsonNode choices = response == null ? null : response.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw unavailable("chat response has no choices");
        }
        JsonNode content = choices.get(0).path("message").path("content");
        if (!content.isTextual()) {
            throw unavailable("chat response has no message content");
        }
        return content.asText();
    }

    private JsonNode readJson(byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw unavailable("chat response is not JSON");
        }
    }

    private static FrostbyteException unavailable(String message) {
        return new FrostbyteException(ErrorCode.ANSWERER_UNAVAILABLE, message);
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
}
