package io.frostbyte.policy;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedding function the prototype classifier needs: one vector per text, in order, all of one dimension. A
 * failure is an exception, never a made-up vector. Implementations must be deterministic for the classifier to be.
 */
@FunctionalInterface
public interface TextEmbedder {
    float[][] embed(List<String> texts);

    /** Adapts an {@link EmbeddingModel}, in batches of at most its {@link EmbeddingModel#maxBatchSize()}. */
    static TextEmbedder of(EmbeddingModel model) {
        requireNonNull(model, "model is null");
        return texts -> {
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (int from = 0; from < texts.size(); from += model.maxBatchSize()) {
                List<String> batch = texts.subList(from, Math.min(texts.size(), from + model.maxBatchSize()));
                for (Embedding embedding : model.embedDocuments(batch)) {
                    vectors.add(embedding.vector());
                }
            }
            return vectors.toArray(float[][]::new);
        };
    }
}
