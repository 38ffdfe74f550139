package io.frostbyte.server.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.postgres.IndexProfile;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The embedding profiles this deployment can run (spec/04 §4.1), by name: {@code minilm-384} (the shipped ONNX model)
 * always, {@code openai-768} when {@code embedding.endpoint} and {@code embedding.api_key} are configured. The
 * deployment profile ({@code embedding.profile}) is the one new index generations are created with; when this
 * deployment cannot run it, {@code minilm-384} is used, as the node always did.
 *
 * <p>Immutable and thread-safe; the models are owned (and closed) by the caller.
 */
public final class EmbeddingProfiles {
    /** The shipped ONNX profile. */
    public static final String MINILM_384 = "minilm-384";
    /** The OpenAI-compatible profile of spec/04 §4.1. */
    public static final String OPENAI_768 = "openai-768";

    private final SortedMap<String, EmbeddingModel> models;
    private final String deploymentProfile;

    /**
     * @param models profile name → model; must hold {@code deploymentProfile}
     */
    public EmbeddingProfiles(Map<String, EmbeddingModel> models, String deploymentProfile) {
        this.models = new TreeMap<>(requireNonNull(models, "models is null"));
        this.deploymentProfile = requireNonNull(deploymentProfile, "deploymentProfile is null");
        if (!this.models.containsKey(deploymentProfile)) {
            throw new IllegalArgumentException("no model for the deployment profile " + deploymentProfile);
        }
    }

    /**
     * The profiles of a deployment: the MiniLM model, plus {@code openai-768} when an endpoint and key are given.
     *
     * @param configured {@code embedding.profile}
     */
    public static EmbeddingProfiles of(
            String configured,
            EmbeddingModel miniLm,
            Optional<String> endpoint,
            Optional<String> apiKey,
            Duration timeout) {
        Map<String, EmbeddingModel> models = new TreeMap<>();
        models.put(MINILM_384, requireNonNull(miniLm, "miniLm is null"));
        if (endpoint.isPresent() && apiKey.isPresent()) {
            io.frostbyte.embed.openai.OpenAiEmbeddingConfig defaults =
                    io.frostbyte.embed.openai.OpenAiEmbeddingConfig.openAi768(URI.create(endpoint.get()), apiKey.get());
            models.put(
                    OPENAI_768,
                    new io.frostbyte.embed.openai.OpenAiEmbeddingModel(
                            new io.frostbyte.embed.openai.OpenAiEmbeddingConfig(
                                    defaults.endpoint(),
                                    defaults.apiKey(),
                                    defaults.model(),
                                    defaults.version(),
                                    defaults.dimensions(),
                                    defaults.maxBatchSize(),
                                    timeout,
                                    defaults.maxRetries(),
                                    defaults.initialBackoff(),
                                    defaults.maxBackoff(),
                                    defaults.maxInputChars())));
        }
        return new EmbeddingProfiles(models, models.containsKey(configured) ? configured : MINILM_384);
    }

    /** The profile new generations are created with by default. */
    public String deploymentProfile() {
        return deploymentProfile;
    }

    /** Profile names this deployment can run, sorted. */
    public List<String> names() {
        return List.copyOf(models.keySet());
    }

    /** The model of a profile, or empty when this deployment cannot run it. */
    public Optional<EmbeddingModel> model(String profile) {
        return Optional.ofNullable(models.get(requireNonNull(profile, "profile is null")));
    }

    /**
     * The model of a profile a rebuild asked for.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} (400) naming {@code embedding_profile} when this deployment
     *     cannot run it
     */
    public EmbeddingModel require(String profile) {
        return model(profile)
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.VALIDATION_ERROR,
                        "Request body is invalid.",
                        List.of(new FrostbyteException.ErrorDetail(
                                "embedding_profile",
                                profile,
                                "one of the profiles this deployment runs: " + names()))));
    }

    /** What a generation built with {@code profile} records. */
    public IndexProfile indexProfile(String profile) {
        EmbeddingModel model = require(profile);
        return new IndexProfile(
                profile, model.modelId(), model.version(), model.dimension(), IndexProfile.STANDARD_ANALYZER);
    }
}
