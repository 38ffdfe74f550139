package io.frostbyte.server.ratelimit;

import java.util.Locale;

/** Rate-limited areas of the API and their per-minute limits (spec/08 §8.9). */
public enum RateLimitArea {
    INGEST(100, true),
    QUERY(1000, true),
    AUDIT(300, true),
    ADMIN(60, false);

    private final int perMinute;
    private final boolean perTenant;

    RateLimitArea(int perMinute, boolean perTenant) {
        this.perMinute = perMinute;
        this.perTenant = perTenant;
    }

    /** The limit for a tenant of the given tier multiplier; admin is global and never multiplied. */
    public int limit(int tierMultiplier) {
        return perTenant ? perMinute * tierMultiplier : perMinute;
    }

    /**
     * The limit for a tenant of the given tier multiplier whose storage is, or is not, at 90 % of its quota or more:
     * then the ingest limit drops to a tenth, at least one request a minute (spec/07 §7.8).
     */
    public int limit(int tierMultiplier, boolean storageNearlyFull) {
        int limit = limit(tierMultiplier);
        return this == INGEST && storageNearlyFull ? Math.max(1, limit / 10) : limit;
    }

    public boolean perTenant() {
        return perTenant;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
