package io.frostbyte.server.metrics;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.postgres.audit.AuditBreak;
import io.frostbyte.postgres.audit.AuditVerification;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class AuditWatchTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");

    @Test
    void closing_the_watch_waits_for_the_chain_being_verified_and_starts_no_other() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<TenantId> verified = new CopyOnWriteArrayList<>();
        try (Metrics metrics = new Metrics()) {
            AuditWatch watch = new AuditWatch(
                            () -> List.of(ACME, GLOBEX),
                            tenantId -> {
                                started.countDown();
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                verified.add(tenantId);
                                return new AuditVerification(tenantId, 3, 0, List.of());
                            },
                            Map::of,
                            metrics,
                            Clock.systemUTC())
                    .start(Duration.ZERO);
            assertThat(started.await(10, SECONDS)).isTrue();

            Thread closing = Thread.ofPlatform().start(watch::close);
            closing.join(300);
            boolean waitedForTheChain = closing.isAlive();
            release.countDown();
            closing.join(10_000);

            assertThat(waitedForTheChain).isTrue();
            assertThat(closing.isAlive()).isFalse();
            assertThat(verified).containsExactly(ACME);
        }
    }

    @Test
    void a_broken_chain_is_reported_and_counted_under_its_tenant() {
        try (Metrics metrics = new Metrics()) {
            AuditWatch watch = new AuditWatch(
                    () -> List.of(ACME, GLOBEX),
                    tenantId -> new AuditVerification(
                            tenantId,
                            3,
                            0,
                            tenantId.equals(GLOBEX)
                                    ? List.of(new AuditBreak(2, AuditBreak.Kind.EVENT_HASH, "a", "b"))
                                    : List.of()),
                    Map::of,
                    metrics,
                    Clock.systemUTC());

            assertThat(watch.verifyNow()).containsExactly(GLOBEX);
            assertThat(metrics.registry()
                            .find("frostbyte.audit.verify.failures")
                            .tags("tenant_id", "globex")
                            .counter()
                            .count())
                    .isEqualTo(1);
            watch.close();
        }
    }
}
