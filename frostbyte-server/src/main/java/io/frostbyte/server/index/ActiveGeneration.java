package io.frostbyte.server.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.postgres.IndexGeneration;

/**
 * A tenant's current index generation with the model its chunks and queries are embedded with.
 *
 * @param model the generation's profile's model; when this deployment can no longer run that profile, the deployment's
 *     model, and {@code modelMatches} is false (spec/04 EMB-7, spec/05 step 3)
 */
public record ActiveGeneration(IndexGeneration generation, EmbeddingModel model, boolean modelMatches) {
    public ActiveGeneration {
        requireNonNull(generation, "generation is null");
        requireNonNull(model, "model is null");
    }

    /** Where the generation's points live. */
    public IndexNamespace namespace() {
        return new IndexNamespace(generation.tenantId(), generation.generation());
    }

    /** {@code g<generation>}, recorded on chunks, in INDEX_WRITTEN, RETRIEVAL_EXECUTED and proofs. */
    public String indexVersion() {
        return generation.indexVersion();
    }

    /** The dimension fixed for the generation's life. */
    public int dimension() {
        return generation.profile().dimensions();
    }
}
