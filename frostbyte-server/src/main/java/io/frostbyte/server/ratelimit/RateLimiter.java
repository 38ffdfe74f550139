package io.frostbyte.server.ratelimit;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Token buckets per area and tenant (spec/08 API-3): capacity = the per-minute limit, refilled limit/60 per second.
 * Buckets live in memory (one node) or in PostgreSQL through Bucket4j (shared by every node). Thread-safe.
 */
public final class RateLimiter {
    /** The answer for one request: allowed or not, with what the rate-limit headers need. */
    public record Decision(boolean allowed, int limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

    private final Function<String, Bucket> buckets;

    private RateLimiter(Function<String, Bucket> buckets) {
        this.buckets = requireNonNull(buckets, "buckets is null");
    }

    /** Buckets in this JVM only (the embedded shape). */
    public static RateLimiter inMemory() {
        Map<String, Bucket> local = new ConcurrentHashMap<>();
        return new RateLimiter(key -> local.computeIfAbsent(
                key,
                k -> Bucket.builder()
                        .addLimit(configurationFor(k).getBandwidths()[0])
                        .build()));
    }

    /** Buckets in a shared store (PostgreSQL through Bucket4j's JDBC proxy manager). */
    public static RateLimiter shared(ProxyManager<String> proxyManager) {
        requireNonNull(proxyManager, "proxyManager is null");
        return new RateLimiter(
                key -> proxyManager.builder().build(key, (Supplier<BucketConfiguration>) () -> configurationFor(key)));
    }

    /** Takes one token for the request. */
    public Decision tryAcquire(RateLimitArea area, TenantId tenantId, int tierMultiplier) {
        return tryAcquire(area, tenantId, tierMultiplier, false);
    }

    /** Takes one token for the request, under the cut limit while the tenant's storage is nearly full. */
    public Decision tryAcquire(RateLimitArea area, TenantId tenantId, int tierMultiplier, boolean storageNearlyFull) {
        int limit = area.limit(tierMultiplier, storageNearlyFull);
        String key = area.perTenant()
                ? area.wire() + ":" + tenantId.value() + ":" + limit
                : area.wire() + ":_global:" + limit;
        Bucket bucket = buckets.apply(key);
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long perTokenNanos = Duration.ofMinutes(1).toNanos() / limit;
        long resetSeconds = ceilSeconds((limit - probe.getRemainingTokens()) * perTokenNanos);
        if (probe.isConsumed()) {
            return new Decision(true, limit, probe.getRemainingTokens(), resetSeconds, 0);
        }
        return new Decision(false, limit, 0, resetSeconds, Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())));
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /** The limit is the last segment of the key, so a tier change gets a bucket of its own. */
    static BucketConfiguration configurationFor(String key) {
        int limit = Integer.parseInt(key.substring(key.lastIndexOf(':') + 1));
        return BucketConfiguration.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)))
                .build();
    }
}
