package io.frostbyte.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.KeyVersion;
import io.frostbyte.core.keys.StoredKeyset;
import io.frostbyte.core.keys.TenantKeysetStore;
import io.frostbyte.core.tenant.KeysetTombstones;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class TenantKeysetStepTest {
    private static final TenantId ACME = TenantId.of("acme-corp");

    private final PurgeableStore store = new PurgeableStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final TenantKeyring keyring = new TenantKeyring(store, new TestMasterKey(), clock, Duration.ZERO);
    private boolean purgeAllowed = true;
    private final KeysetTombstones tombstones = tenantId -> purgeAllowed && store.purge(tenantId);
    private final TenantKeysetStep step = new TenantKeysetStep(keyring, tombstones);

    @Test
    void provisioning_creates_a_usable_kek_and_is_idempotent() throws Exception {
        assertThat(step.name()).isEqualTo("keys");

        Map<String, String> first = step.provision(ACME);
        step.verify(ACME);
        Map<String, String> again = step.provision(ACME);

        assertThat(first).isEqualTo(Map.of("keyset_id", "kek-acme-corp"));
        assertThat(again).isEqualTo(first);
        assertThat(keyring.versions(ACME)).extracting(KeyVersion::version).containsExactly(1);
    }

    @Test
    void deprovisioning_shreds_every_version_and_verify_gone_confirms_it() {
        step.provision(ACME);
        keyring.rotate(ACME);

        step.deprovision(ACME);
        step.deprovision(ACME);
        step.verifyGone(ACME);

        assertThat(keyring.versions(ACME))
                .extracting(KeyVersion::status)
                .containsOnly(KeyVersion.Status.DESTROYED)
                .hasSize(2);
        assertThatThrownBy(() -> keyring.kek(ACME))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.KEYS_DESTROYED));
    }

    @Test
    void verify_gone_fails_while_the_keyset_is_live() {
        step.provision(ACME);

        assertThatThrownBy(() -> step.verifyGone(ACME)).isInstanceOf(FrostbyteException.class);
    }

    @Test
    void rollback_without_a_keyset_does_nothing_and_verify_gone_passes() {
        step.rollback(ACME);
        step.verifyGone(ACME);

        assertThat(store.find(ACME)).isEmpty();
    }

    @Test
    void a_retry_after_a_rollback_purges_the_unused_tombstone_and_creates_a_fresh_keyset() throws Exception {
        step.provision(ACME);
        step.rollback(ACME);

        step.provision(ACME);
        step.verify(ACME);

        assertThat(store.find(ACME).orElseThrow().destroyed()).isFalse();
    }

    @Test
    void a_tombstone_that_may_not_be_purged_blocks_provisioning() {
        step.provision(ACME);
        step.rollback(ACME);
        purgeAllowed = false;

        assertThatThrownBy(() -> step.provision(ACME))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
    }

    /** An in-memory store that can also delete a tombstone, as PostgresKeysetTombstones does. */
    private static final class PurgeableStore implements TenantKeysetStore {
        private final Map<TenantId, StoredKeyset> keysets = new ConcurrentHashMap<>();

        boolean purge(TenantId tenantId) {
            StoredKeyset current = keysets.get(tenantId);
            return current != null && current.destroyed() && keysets.remove(tenantId, current);
        }

        @Override
        public Optional<StoredKeyset> find(TenantId tenantId) {
            return Optional.ofNullable(keysets.get(tenantId));
        }

        @Override
        public void insert(StoredKeyset keyset) {
            if (keysets.putIfAbsent(keyset.tenantId(), keyset) != null) {
                throw new FrostbyteException(ErrorCode.INVALID_STATE_TRANSITION, "exists");
            }
        }

        @Override
        public synchronized void replace(StoredKeyset keyset, long expectedRevision) {
            StoredKeyset current = keysets.get(keyset.tenantId());
            if (current == null) {
                throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "none");
            }
            if (current.destroyed() || current.revision() != expectedRevision) {
                throw new FrostbyteException(ErrorCode.INVALID_STATE_TRANSITION, "moved on");
            }
            keysets.put(keyset.tenantId(), keyset);
        }

        @Override
        public synchronized void destroy(TenantId tenantId, Instant at) {
            StoredKeyset current = keysets.get(tenantId);
            if (current == null) {
                throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "none");
            }
            if (current.destroyed()) {
                return;
            }
            keysets.put(
                    tenantId,
                    new StoredKeyset(
                            tenantId,
                            current.keysetId(),
                            new byte[0],
                            current.revision() + 1,
                            current.versions().stream()
                                    .map(v -> new KeyVersion(
                                            v.version(),
                                            v.keyId(),
                                            KeyVersion.Status.DESTROYED,
                                            v.createdAt(),
                                            Optional.of(at)))
                                    .toList(),
                            current.createdAt(),
                            Optional.of(at)));
        }
    }
}
