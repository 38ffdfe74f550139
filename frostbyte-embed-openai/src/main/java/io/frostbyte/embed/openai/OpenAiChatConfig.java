package io.frostbyte.embed.openai;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of an OpenAI-compatible chat endpoint for answers ({@code generation.*} of spec/09: OpenRouter online, a
 * llama.cpp or vLLM server offline).
 *
 * @param endpoint base URL; requests go to {@code <endpoint>/chat/completions}
 * @param apiKey sent as {@code Authorization: Bearer} when present (a local server may need none); never logged,
 *     redacted by {@link #toString()}
 * @param model the request's {@code model}
 * @param timeout per HTTP request (spec/05 §5.5: 60 s)
 * @param maxRetries retries on 429, 5xx, timeouts and connection failures, 0 to 5
 * @param initialBackoff wait before the first retry, doubled each time, unless the server sends {@code Retry-After}
 * @param maxBackoff longest wait, including one asked for by {@code Retry-After}
 */
public record OpenAiChatConfig(
        URI endpoint,
        Optional<String> apiKey,
        String model,
        Duration timeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff) {
    public OpenAiChatConfig {
        requireNonNull(endpoint, "endpoint is null");
        if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("endpoint must be http(s): " + endpoint);
        }
        requireNonNull(apiKey, "apiKey is null");
        if (apiKey.isPresent() && (apiKey.get().isBlank() || apiKey.get().length() > 1024)) {
            throw new IllegalArgumentException("apiKey must be 1 to 1024 non-blank characters");
        }
        requireNonNull(model, "model is null");
        if (model.isBlank() || model.length() > 256) {
            throw new IllegalArgumentException("model must be 1 to 256 non-blank characters");
        }
        requirePositive(timeout, "timeout");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (maxRetries < 0 || maxRetries > 5) {
            throw new IllegalArgumentException("maxRetries must be in [0, 5]: " + maxRetries);
        }
    }

    /** The spec's defaults: 60 s timeout, 2 retries from 1 s up to 30 s. */
    public static OpenAiChatConfig defaults(URI endpoint, Optional<String> apiKey, String model) {
        return new OpenAiChatConfig(
                endpoint, apiKey, model, Duration.ofSeconds(60), 2, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    private static void requirePositive(Duration duration, String name) {
        requireNonNull(duration, name + " is null");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(name + " must be in (0, 10 min]: " + duration);
        }
    }

    @Override
    public String toString() {
        return "OpenAiChatConfig[endpoint=" + endpoint + ", apiKey=" + (apiKey.isPresent() ? "***" : "none")
                + ", model=" + model + ", timeout=" + timeout + ", maxRetries=" + maxRetries + "]";
    }
}
