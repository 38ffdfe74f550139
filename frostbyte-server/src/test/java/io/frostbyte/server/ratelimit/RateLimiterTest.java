package io.frostbyte.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");

    @Test
    void allows_the_per_minute_capacity_then_refuses_with_a_retry_after_of_at_least_one_second() {
        RateLimiter limiter = RateLimiter.inMemory();
        for (int i = 0; i < 100; i++) {
            RateLimiter.Decision decision = limiter.tryAcquire(RateLimitArea.INGEST, ACME, 1);
            assertThat(decision.allowed()).as("request %d", i + 1).isTrue();
            assertThat(decision.remaining()).isEqualTo(99 - i);
            assertThat(decision.limit()).isEqualTo(100);
        }
        RateLimiter.Decision refused = limiter.tryAcquire(RateLimitArea.INGEST, ACME, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 1L);
    }

    @Test
    void tenants_have_buckets_of_their_own() {
        RateLimiter limiter = RateLimiter.inMemory();
        for (int i = 0; i < 100; i++) {
            limiter.tryAcquire(RateLimitArea.INGEST, ACME, 1);
        }
        assertThat(limiter.tryAcquire(RateLimitArea.INGEST, ACME, 1).allowed()).isFalse();
        assertThat(limiter.tryAcquire(RateLimitArea.INGEST, GLOBEX, 1).allowed())
                .isTrue();
        assertThat(limiter.tryAcquire(RateLimitArea.QUERY, ACME, 1).allowed()).isTrue();
    }

    @Test
    void the_tier_multiplies_tenant_limits_but_not_the_global_admin_limit() {
        RateLimiter limiter = RateLimiter.inMemory();
        assertThat(limiter.tryAcquire(RateLimitArea.QUERY, ACME, 5).limit()).isEqualTo(5000);
        assertThat(limiter.tryAcquire(RateLimitArea.AUDIT, ACME, 2).limit()).isEqualTo(600);
        assertThat(limiter.tryAcquire(RateLimitArea.ADMIN, ACME, 5).limit()).isEqualTo(60);
        for (int i = 1; i < 60; i++) {
            limiter.tryAcquire(RateLimitArea.ADMIN, GLOBEX, 1);
        }
        assertThat(limiter.tryAcquire(RateLimitArea.ADMIN, ACME, 1).allowed())
                .as("admin is one global bucket")
                .isFalse();
    }

    @Test
    void a_tenant_at_ninety_percent_of_its_storage_quota_gets_a_tenth_of_the_ingest_limit_and_no_query_cut() {
        RateLimiter limiter = RateLimiter.inMemory();
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAcquire(RateLimitArea.INGEST, ACME, 1, true).allowed())
                    .as("request %d", i + 1)
                    .isTrue();
        }
        RateLimiter.Decision refused = limiter.tryAcquire(RateLimitArea.INGEST, ACME, 1, true);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(10);
        assertThat(limiter.tryAcquire(RateLimitArea.QUERY, ACME, 1, true).limit())
                .isEqualTo(1000);
        assertThat(limiter.tryAcquire(RateLimitArea.INGEST, ACME, 1, false).allowed())
                .as("below 90 % again: the full bucket")
                .isTrue();
        assertThat(RateLimitArea.INGEST.limit(5, true)).isEqualTo(50);
    }
}
