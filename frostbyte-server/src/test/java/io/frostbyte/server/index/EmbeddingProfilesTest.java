package io.frostbyte.server.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.postgres.IndexProfile;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddingProfilesTest {
    /** Stands in for the shipped MiniLM model; no vector is ever asked for. */
    private static final EmbeddingModel MINILM = new EmbeddingModel() {
        @Override
        public String modelId() {
            return "all-MiniLM-L6-v2";
        }

        @Override
        public String version() {
            return "1.0";
        }

        @Override
        public int dimension() {
            return 384;
        }

        @Override
        public int maxBatchSize() {
            return 256;
        }

        @Override
        public List<Embedding> embedDocuments(List<String> texts) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public Embedding embedQuery(String text) {
            throw new UnsupportedOperationException("not used");
        }
    };

    @Test
    void without_an_endpoint_only_minilm_runs_and_is_the_deployment_profile_whatever_is_configured() {
        EmbeddingProfiles profiles =
                EmbeddingProfiles.of("openai-768", MINILM, Optional.empty(), Optional.empty(), Duration.ofSeconds(30));

        assertThat(profiles.names()).containsExactly("minilm-384");
        assertThat(profiles.deploymentProfile()).isEqualTo("minilm-384");
        assertThat(profiles.model("openai-768")).isEmpty();
        assertThat(profiles.indexProfile("minilm-384"))
                .isEqualTo(new IndexProfile("minilm-384", "all-MiniLM-L6-v2", "1.0", 384, "fb-standard-1"));
    }

    @Test
    void an_endpoint_with_a_key_adds_openai_768_which_becomes_the_deployment_profile_when_configured() {
        EmbeddingProfiles profiles = EmbeddingProfiles.of(
                "openai-768",
                MINILM,
                Optional.of("http://127.0.0.1:9/v1"),
                Optional.of("sk-test-key"),
                Duration.ofSeconds(5));

        assertThat(profiles.names()).containsExactly("minilm-384", "openai-768");
        assertThat(profiles.deploymentProfile()).isEqualTo("openai-768");
        assertThat(profiles.indexProfile("openai-768"))
                .isEqualTo(new IndexProfile(
                        "openai-768", "openai/text-embedding-3-small", "2024-01-25", 768, "fb-standard-1"));
        assertThat(EmbeddingProfiles.of(
                                "minilm-384",
                                MINILM,
                                Optional.of("http://127.0.0.1:9/v1"),
                                Optional.of("sk-test-key"),
                                Duration.ofSeconds(5))
                        .deploymentProfile())
                .isEqualTo("minilm-384");
    }

    @Test
    void an_endpoint_without_a_key_adds_nothing() {
        EmbeddingProfiles profiles = EmbeddingProfiles.of(
                "openai-768", MINILM, Optional.of("http://127.0.0.1:9/v1"), Optional.empty(), Duration.ofSeconds(5));

        assertThat(profiles.names()).containsExactly("minilm-384");
    }

    @Test
    void a_profile_this_deployment_cannot_run_is_a_validation_error_naming_embedding_profile() {
        EmbeddingProfiles profiles =
                EmbeddingProfiles.of("minilm-384", MINILM, Optional.empty(), Optional.empty(), Duration.ofSeconds(30));

        assertThatThrownBy(() -> profiles.require("nomic-768")).isInstanceOfSatisfying(FrostbyteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details())
                    .singleElement()
                    .satisfies(detail -> assertThat(detail.field()).isEqualTo("embedding_profile"));
        });
        assertThatThrownBy(() -> profiles.indexProfile("nomic-768")).isInstanceOf(FrostbyteException.class);
    }
}
