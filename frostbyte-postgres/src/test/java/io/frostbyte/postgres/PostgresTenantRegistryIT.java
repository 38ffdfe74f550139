package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.TenantStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresTenantRegistryIT {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");

    private static TestDatabase db;
    private static PostgresTenantRegistry registry;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        registry = new PostgresTenantRegistry(db.dataSource(), new MutableClock(Instant.parse("2026-03-02T10:00:00Z")));
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void onlyThePlatform() {
        db.execute("DELETE FROM tenant_keysets", "DELETE FROM tenants WHERE tenant_id <> '_platform'");
    }

    @Test
    void creates_an_active_tenant_at_epoch_one() {
        TenantStatus created = registry.create(ACME, "Acme Corp", "ops@acme.example", "premium");

        assertThat(created).isEqualTo(new TenantStatus(ACME, TenantState.ACTIVE, 1, 2, false));
        assertThat(registry.find(ACME)).contains(created);
        assertThat(db.queryLong("SELECT count(*) FROM tenants WHERE tenant_id = 'acme-corp'"
                        + " AND provisioned_at = created_at AND config = '{}'::jsonb AND config_version = 1"))
                .isEqualTo(1);
    }

    @Test
    void refuses_an_id_that_was_already_used() {
        registry.create(ACME, "Acme Corp", "ops@acme.example", "standard");
        registry.setState(ACME, TenantState.DEPROVISIONED);

        assertThatThrownBy(() -> registry.create(ACME, "Acme Again", "new@acme.example", "standard"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TENANT_ALREADY_EXISTS));
        assertThat(registry.find(ACME).orElseThrow().state()).isEqualTo(TenantState.DEPROVISIONED);
    }

    @Test
    void refuses_an_unknown_tier_and_the_platform_id() {
        assertThatThrownBy(() -> registry.create(ACME, "Acme Corp", "ops@acme.example", "gold"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThatThrownBy(() -> registry.create(TenantId.PLATFORM, "Platform", "ops@example.org", "standard"))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
        assertThat(registry.find(ACME)).isEmpty();
    }

    @Test
    void lists_every_tenant_with_its_tier_multiplier_platform_first() {
        registry.create(TenantId.of("standard-co"), "Standard", "a@example.org", "standard");
        registry.create(TenantId.of("premium-co"), "Premium", "b@example.org", "premium");
        registry.create(TenantId.of("enterprise-co"), "Enterprise", "c@example.org", "enterprise");

        assertThat(registry.statuses())
                .containsExactly(
                        new TenantStatus(TenantId.PLATFORM, TenantState.ACTIVE, 1, 1, false),
                        new TenantStatus(TenantId.of("enterprise-co"), TenantState.ACTIVE, 1, 5, false),
                        new TenantStatus(TenantId.of("premium-co"), TenantState.ACTIVE, 1, 2, false),
                        new TenantStatus(TenantId.of("standard-co"), TenantState.ACTIVE, 1, 1, false));
    }

    @Test
    void bumps_the_key_epoch_by_one_each_time() {
        registry.create(ACME, "Acme Corp", "ops@acme.example", "standard");

        assertThat(registry.bumpEpoch(ACME)).isEqualTo(2);
        assertThat(registry.bumpEpoch(ACME)).isEqualTo(3);
        assertThat(registry.find(ACME).orElseThrow().keyEpoch()).isEqualTo(3);
        assertThatThrownBy(() -> registry.bumpEpoch(GLOBEX))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
    }

    @Test
    void stores_every_lifecycle_state_and_the_embedding_halt() {
        registry.create(ACME, "Acme Corp", "ops@acme.example", "standard");

        for (TenantState state : TenantState.values()) {
            registry.setState(ACME, state);
            assertThat(registry.find(ACME).orElseThrow().state()).isEqualTo(state);
        }
        registry.setEmbeddingHalted(ACME, true);
        assertThat(registry.find(ACME).orElseThrow().embeddingHalted()).isTrue();
        registry.setEmbeddingHalted(ACME, false);
        assertThat(registry.find(ACME).orElseThrow().embeddingHalted()).isFalse();
    }

    @Test
    void suspension_and_epoch_bump_commit_together_inside_the_callers_transaction() {
        registry.create(ACME, "Acme Corp", "ops@acme.example", "standard");

        assertThatThrownBy(() -> db.database().inTransaction(tx -> {
                    registry.setState(tx, ACME, TenantState.SUSPENDED);
                    registry.bumpEpoch(tx, ACME);
                    throw new IllegalStateException("audit write failed");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(registry.find(ACME)).contains(new TenantStatus(ACME, TenantState.ACTIVE, 1, 1, false));

        TenantState previous = db.database().inTransaction(tx -> {
            TenantState before = registry.setState(tx, ACME, TenantState.SUSPENDED);
            registry.bumpEpoch(tx, ACME);
            return before;
        });
        assertThat(previous).isEqualTo(TenantState.ACTIVE);
        assertThat(registry.find(ACME)).contains(new TenantStatus(ACME, TenantState.SUSPENDED, 2, 1, false));
    }

    @Test
    void the_listener_hears_committed_changes_within_a_second_and_not_rolled_back_ones() {
        registry.create(ACME, "Acme Corp", "ops@acme.example", "standard");
        registry.create(GLOBEX, "Globex", "ops@globex.example", "standard");
        List<TenantId> heard = new CopyOnWriteArrayList<>();
        AtomicInteger connected = new AtomicInteger();
        try (TenantStateListener listener = TenantStateListener.start(
                db.database()::openDedicatedConnection, heard::add, connected::incrementAndGet)) {
            await().atMost(Duration.ofSeconds(5)).until(listener::connected);

            assertThatThrownBy(() -> db.database().inTransaction(tx -> {
                        registry.bumpEpoch(tx, GLOBEX);
                        throw new IllegalStateException("rolled back");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            long committedAt = System.nanoTime();
            registry.bumpEpoch(ACME);

            await().atMost(Duration.ofSeconds(1)).until(() -> heard.contains(ACME));
            assertThat(Duration.ofNanos(System.nanoTime() - committedAt)).isLessThan(Duration.ofSeconds(1));
            registry.setState(ACME, TenantState.SUSPENDED);
            await().atMost(Duration.ofSeconds(1)).until(() -> heard.size() == 2);
            assertThat(heard).containsExactly(ACME, ACME);
            assertThat(connected).hasValue(1);
        }
    }

    @Test
    void the_listener_reconnects_after_its_session_is_killed_and_keeps_delivering() {
        registry.create(ACME, "Acme Corp", "ops@acme.example", "standard");
        List<TenantId> heard = new CopyOnWriteArrayList<>();
        AtomicInteger connected = new AtomicInteger();
        try (TenantStateListener listener = TenantStateListener.start(
                db.database()::openDedicatedConnection, heard::add, connected::incrementAndGet)) {
            await().atMost(Duration.ofSeconds(5)).until(listener::connected);

            // the listener's login is the superuser: only a superuser session may terminate it
            db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'frostbyte-listener' AND datname = current_database()");
            await().atMost(Duration.ofSeconds(5)).until(() -> connected.get() == 2 && listener.connected());
            registry.bumpEpoch(ACME);

            await().atMost(Duration.ofSeconds(1)).until(() -> heard.contains(ACME));
            assertThat(listener.connections()).isEqualTo(2);
        }
    }
}
