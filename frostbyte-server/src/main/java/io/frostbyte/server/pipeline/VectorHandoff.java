package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.embed.Embedding;
import io.frostbyte.core.embed.EmbeddingModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Vectors the policy stage already had the model make for a document's chunk, held for that document's embed stage so
 * the model does not embed the same input twice. The prototype classifier embeds the first 2,000 characters of the
 * text that passed the gates; when that is the same model input as the first passed chunk (the chunk is the whole
 * text, or both are cut to the model's window at the same token: {@link EmbeddingModel#sameDocumentInput}), its
 * vector is that chunk's vector, bit for bit.
 *
 * <p>Entries are keyed by tenant, document and the chunk's text hash, and are taken only by the same model instance:
 * nothing crosses tenants or documents. It is a per-process hint, not a store: an entry another node's embed stage
 * never sees, or that is evicted (at most {@value #CAPACITY} are held, oldest first out), is simply embedded again, so
 * results never depend on it. Thread-safe.
 */
final class VectorHandoff {
    /** Most entries held: a few seconds of documents between their policy and embed stages on a busy node. */
    static final int CAPACITY = 512;

    private record Key(TenantId tenantId, String docId, String textSha256) {}

    private record Held(EmbeddingModel model, Embedding embedding) {}

    private final Map<Key, Held> entries = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Held> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Holds {@code embedding}, made by {@code model}, for the chunk of {@code docId} whose text hashes to the key. */
    synchronized void offer(
            TenantId tenantId, String docId, String textSha256, EmbeddingModel model, Embedding embedding) {
        entries.put(
                new Key(
                        requireNonNull(tenantId, "tenantId is null"),
                        requireNonNull(docId, "docId is null"),
                        requireNonNull(textSha256, "textSha256 is null")),
                new Held(requireNonNull(model, "model is null"), requireNonNull(embedding, "embedding is null")));
    }

    /**
     * Removes and returns the vector held for this chunk when {@code model} made it; empty otherwise (an entry of
     * another model is dropped).
     */
    synchronized Optional<Embedding> take(TenantId tenantId, String docId, String textSha256, EmbeddingModel model) {
        Held entry = entries.remove(new Key(tenantId, docId, textSha256));
        return entry != null && entry.model() == model ? Optional.of(entry.embedding()) : Optional.empty();
    }

    synchronized int size() {
        return entries.size();
    }
}
