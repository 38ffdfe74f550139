package io.frostbyte.server.index;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.embed.EmbeddingModel;
import io.frostbyte.postgres.IndexGeneration;
import io.frostbyte.postgres.PostgresIndexGenerations;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link IndexGenerations} over the control database with a short per-tenant cache: the stages and every query ask
 * for the generation, the database is read at most once per {@link #ttl()} per tenant. A rebuild on this node
 * {@linkplain #invalidate invalidates} at once; other nodes see a switch within the ttl.
 */
public final class CachedIndexGenerations implements IndexGenerations {
    private record Entry(ActiveGeneration generation, long loadedNanos) {}

    private final PostgresIndexGenerations store;
    private final EmbeddingProfiles profiles;
    private final Duration ttl;
    private final ConcurrentHashMap<TenantId, Entry> cache = new ConcurrentHashMap<>();

    public CachedIndexGenerations(PostgresIndexGenerations store, EmbeddingProfiles profiles, Duration ttl) {
        this.store = requireNonNull(store, "store is null");
        this.profiles = requireNonNull(profiles, "profiles is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative() || ttl.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("ttl must be in [0, 1 min]: " + ttl);
        }
    }

    /** How long a cached generation is used. */
    public Duration ttl() {
        return ttl;
    }

    @Override
    public ActiveGeneration current(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        long now = System.nanoTime();
        Entry entry = cache.get(tenantId);
        if (entry != null && now - entry.loadedNanos() < ttl.toNanos()) {
            return entry.generation();
        }
        IndexGeneration generation =
                store.currentOrCreate(tenantId, profiles.indexProfile(profiles.deploymentProfile()));
        Optional<EmbeddingModel> model = profiles.model(generation.profile().profile());
        ActiveGeneration active = new ActiveGeneration(
                generation,
                model.orElseGet(
                        () -> profiles.model(profiles.deploymentProfile()).orElseThrow()),
                model.isPresent());
        cache.put(tenantId, new Entry(active, now));
        return active;
    }

    /** Forgets the tenant's cached generation, e.g. right after a switch. */
    public void invalidate(TenantId tenantId) {
        cache.remove(tenantId);
    }
}
