package io.frostbyte.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.postgres.PostgresTestSupport;
import io.frostbyte.postgres.TestDatabase;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two API nodes sharing PostgreSQL share one bucket per tenant and area (spec/08 API-3, scaled shape). */
class SharedRateLimitIT {
    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static RateLimiter node() {
        return RateLimiter.shared(Bucket4jPostgreSQL.selectForUpdateBasedBuilder(db.dataSource())
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .build());
    }

    @Test
    void two_nodes_together_get_one_tenants_capacity_and_no_more() {
        RateLimiter first = node();
        RateLimiter second = node();
        TenantId tenant = TenantId.of("shared-co");
        int allowed = 0;
        for (int i = 0; i < 70; i++) {
            RateLimiter limiter = i % 2 == 0 ? first : second;
            if (limiter.tryAcquire(RateLimitArea.ADMIN, tenant, 1).allowed()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(60);
        RateLimiter.Decision refused = second.tryAcquire(RateLimitArea.ADMIN, tenant, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterSeconds()).isGreaterThanOrEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM rate_limit_buckets")).isEqualTo(1);
    }
}
