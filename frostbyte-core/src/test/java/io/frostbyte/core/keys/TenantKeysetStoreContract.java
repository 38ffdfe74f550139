package io.frostbyte.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract every {@link TenantKeysetStore} passes. Subclasses give a fresh, empty store per test. */
public abstract class TenantKeysetStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-02T10:15:30.000Z");

    protected abstract TenantKeysetStore store();

    protected static StoredKeyset keyset(TenantId tenant, long revision, byte[] bytes, int versions) {
        List<KeyVersion> list = new java.util.ArrayList<>();
        for (int v = 1; v <= versions; v++) {
            list.add(new KeyVersion(
                    v,
                    1000L + v,
                    v == versions ? KeyVersion.Status.PRIMARY : KeyVersion.Status.ACTIVE,
                    T0.plus(v, ChronoUnit.DAYS),
                    Optional.empty()));
        }
        return new StoredKeyset(tenant, "ks-" + tenant, bytes, revision, list, T0, Optional.empty());
    }

    @Test
    void finds_nothing_for_a_tenant_without_a_keyset() {
        assertThat(store().find(TenantId.of("nobody-here"))).isEmpty();
    }

    @Test
    void returns_an_inserted_keyset_byte_for_byte() {
        TenantKeysetStore store = store();
        StoredKeyset keyset = keyset(TenantId.of("acme-corp"), 1, new byte[] {1, 2, 3, -4}, 1);
        store.insert(keyset);

        StoredKeyset found = store.find(TenantId.of("acme-corp")).orElseThrow();
        assertThat(found.wrappedKeyset()).containsExactly(1, 2, 3, -4);
        assertThat(found.revision()).isEqualTo(1);
        assertThat(found.keysetId()).isEqualTo("ks-acme-corp");
        assertThat(found.versions()).isEqualTo(keyset.versions());
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.destroyed()).isFalse();
    }

    @Test
    void refuses_a_second_keyset_for_the_same_tenant() {
        TenantKeysetStore store = store();
        store.insert(keyset(TenantId.of("acme-corp"), 1, new byte[] {1}, 1));

        assertThatThrownBy(() -> store.insert(keyset(TenantId.of("acme-corp"), 1, new byte[] {2}, 1)))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
        assertThat(store.find(TenantId.of("acme-corp")).orElseThrow().wrappedKeyset())
                .containsExactly(1);
    }

    @Test
    void keeps_tenants_apart() {
        TenantKeysetStore store = store();
        store.insert(keyset(TenantId.of("acme-corp"), 1, new byte[] {1}, 1));
        store.insert(keyset(TenantId.of("globex"), 1, new byte[] {2}, 1));

        assertThat(store.find(TenantId.of("acme-corp")).orElseThrow().wrappedKeyset())
                .containsExactly(1);
        assertThat(store.find(TenantId.of("globex")).orElseThrow().wrappedKeyset())
                .containsExactly(2);
    }

    @Test
    void replaces_only_at_the_expected_revision() {
        TenantKeysetStore store = store();
        TenantId tenant = TenantId.of("acme-corp");
        store.insert(keyset(tenant, 1, new byte[] {1}, 1));
        store.replace(keyset(tenant, 2, new byte[] {9}, 2), 1);

        assertThatThrownBy(() -> store.replace(keyset(tenant, 2, new byte[] {7}, 2), 1))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
        StoredKeyset found = store.find(tenant).orElseThrow();
        assertThat(found.wrappedKeyset()).containsExactly(9);
        assertThat(found.revision()).isEqualTo(2);
        assertThat(found.versions()).hasSize(2);
    }

    @Test
    void replacing_a_missing_keyset_is_not_found() {
        assertThatThrownBy(() -> store().replace(keyset(TenantId.of("acme-corp"), 2, new byte[] {1}, 1), 1))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
    }

    @Test
    void destroying_erases_the_key_bytes_and_keeps_a_tombstone() {
        TenantKeysetStore store = store();
        TenantId tenant = TenantId.of("acme-corp");
        store.insert(keyset(tenant, 1, new byte[] {1, 2, 3}, 2));
        Instant at = T0.plus(30, ChronoUnit.DAYS);

        store.destroy(tenant, at);
        store.destroy(tenant, at.plusSeconds(5));

        StoredKeyset tombstone = store.find(tenant).orElseThrow();
        assertThat(tombstone.wrappedKeyset()).isEmpty();
        assertThat(tombstone.destroyedAt()).contains(at);
        assertThat(tombstone.versions()).extracting(KeyVersion::status).containsOnly(KeyVersion.Status.DESTROYED);
        assertThatThrownBy(() -> store.replace(
                        keyset(tenant, tombstone.revision() + 1, new byte[] {5}, 3), tombstone.revision()))
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE_TRANSITION));
    }
}
