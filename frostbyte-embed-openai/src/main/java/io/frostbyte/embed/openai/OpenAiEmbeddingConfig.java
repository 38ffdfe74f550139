package io.frostbyte.embed.openai;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.embed.Vectors;
import java.net.URI;
import java.time.Duration;

/**
 * Settings of an OpenAI-compatible embeddings endpoint ({@code embedding.*} of spec/09; the profile table of spec/04
 * §4.1 gives model, version and dimensions).
 *
 * @param endpoint base URL; requests go to {@code <endpoint>/embeddings} (e.g. {@code https://openrouter.ai/api/v1})
 * @param apiKey sent as {@code Authorization: Bearer}; never logged, redacted by {@link #toString()}
 * @param model the request's {@code model}, e.g. {@code openai/text-embedding-3-small}
 * @param version recorded as {@code embed_version}
 * @param dimensions sent as {@code dimensions}; every returned vector must have it
 * @param maxBatchSize most inputs per request, 1 to 2048
 * @param timeout per HTTP request ({@code embedding.timeout_seconds}, 30 s)
 * @param maxRetries retries of one call on 429, 5xx and timeouts before it fails with {@code EMBED_FAILED}, 0 to 5;
 *     the embed job's own schedule (10 s, 60 s, 300 s) applies after that
 * @param initialBackoff wait before the first retry, doubled each time, unless the server sends {@code Retry-After}
 * @param maxBackoff longest wait, including one asked for by {@code Retry-After}
 * @param maxInputChars texts longer than this are cut to it and flagged truncated (8191 tokens is about 30,000
 *     characters of English)
 */
public record OpenAiEmbeddingConfig(
        URI endpoint,
        String apiKey,
        String model,
        String version,
        int dimensions,
        int maxBatchSize,
        Duration timeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxInputChars) {
    public OpenAiEmbeddingConfig {
        requireNonNull(endpoint, "endpoint is null");
        if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("endpoint must be http(s): " + endpoint);
        }
        requireNonNull(apiKey, "apiKey is null");
        if (apiKey.isBlank() || apiKey.length() > 1024) {
            throw new IllegalArgumentException("apiKey must be 1 to 1024 non-blank characters");
        }
        requireNonNull(model, "model is null");
        requireNonNull(version, "version is null");
        if (dimensions < 1 || dimensions > Vectors.MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "dimensions must be in [1, " + Vectors.MAX_DIMENSION + "]: " + dimensions);
        }
        if (maxBatchSize < 1 || maxBatchSize > 2048) {
            throw new IllegalArgumentException("maxBatchSize must be in [1, 2048]: " + maxBatchSize);
        }
        requirePositive(timeout, "timeout");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        if (maxRetries < 0 || maxRetries > 5) {
            throw new IllegalArgumentException("maxRetries must be in [0, 5]: " + maxRetries);
        }
        if (maxInputChars < 1 || maxInputChars > 1_000_000) {
            throw new IllegalArgumentException("maxInputChars must be in [1, 1000000]: " + maxInputChars);
        }
    }

    /** The {@code openai-768} profile's settings with the spec's defaults. */
    public static OpenAiEmbeddingConfig openAi768(URI endpoint, String apiKey) {
        return new OpenAiEmbeddingConfig(
                endpoint,
                apiKey,
                "openai/text-embedding-3-small",
                "2024-01-25",
                768,
                256,
                Duration.ofSeconds(30),
                2,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                30_000);
    }

    private static void requirePositive(Duration duration, String name) {
        requireNonNull(duration, name + " is null");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(name + " must be in (0, 10 min]: " + duration);
        }
    }

    @Override
    public String toString() {
        return "OpenAiEmbeddingConfig[endpoint=" + endpoint + ", apiKey=***, model=" + model + ", version=" + version
                + ", dimensions=" + dimensions + ", maxBatchSize=" + maxBatchSize + ", timeout=" + timeout
                + ", maxRetries=" + maxRetries + "]";
    }
}
