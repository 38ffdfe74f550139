package io.frostbyte.server.pipeline;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one stage already made for a document, held for that document's next stage on this node so the next stage does
 * not make or read it again: the parse stage's canonical document for the policy stage (instead of decrypting and
 * reading back {@code structured.json}), and the policy stage's classifier vector for the embed stage (instead of
 * embedding the same model input twice, see {@link EmbedStage.HeldVector}).
 *
 * <p>Entries are keyed by tenant, document and the SHA-256 of what the value stands for (the bytes of {@code
 * structured.json}, a chunk's text), so a value is only ever taken for the very content it was made from, and nothing
 * crosses tenants or documents. Each value is taken once. It is a per-process hint, not a store: a value another node's
 * stage never sees, that is evicted (the held values weigh at most the capacity, oldest out first) or that weighs more
 * than a quarter of the capacity (never held) is simply made or read again, so results never depend on it.
 * Thread-safe.
 *
 * @param <V> the value held
 */
final class Handoff<V> {
    private record Key(TenantId tenantId, String docId, String sha256) {}

    private record Held<V>(V value, long weight) {}

    private final long capacity;
    private final Map<Key, Held<V>> entries = new LinkedHashMap<>();
    private long weight;

    /** @param capacity the most the held values may weigh together (a count, or bytes: the callers' weights say) */
    Handoff(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Holds {@code value}, made from the content of {@code docId} that hashes to {@code sha256}, unless it weighs more
     * than a quarter of the capacity; the oldest values go until the rest fit.
     */
    synchronized void offer(TenantId tenantId, String docId, String sha256, V value, long valueWeight) {
        Key key = new Key(
                requireNonNull(tenantId, "tenantId is null"),
                requireNonNull(docId, "docId is null"),
                requireNonNull(sha256, "sha256 is null"));
        requireNonNull(value, "value is null");
        if (valueWeight < 0) {
            throw new IllegalArgumentException("weight must not be negative: " + valueWeight);
        }
        drop(entries.remove(key));
        if (valueWeight > capacity / 4) {
            return;
        }
        entries.put(key, new Held<>(value, valueWeight));
        weight += valueWeight;
        Iterator<Held<V>> oldestFirst = entries.values().iterator();
        while (weight > capacity) {
            drop(oldestFirst.next());
            oldestFirst.remove();
        }
    }

    /** Removes and returns the value held for this content of this tenant's document, or empty. */
    synchronized Optional<V> take(TenantId tenantId, String docId, String sha256) {
        Held<V> held = entries.remove(new Key(tenantId, docId, sha256));
        drop(held);
        return held == null ? Optional.empty() : Optional.of(held.value());
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long weight() {
        return weight;
    }

    private void drop(Held<V> held) {
        if (held != null) {
            weight -= held.weight();
        }
    }
}
