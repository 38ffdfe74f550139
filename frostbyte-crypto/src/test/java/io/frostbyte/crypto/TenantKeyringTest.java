package io.frostbyte.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.InMemoryTenantKeysetStore;
import io.frostbyte.core.keys.KeyVersion;
import io.frostbyte.core.keys.KeyVersion.Status;
import io.frostbyte.core.keys.StoredKeyset;
import io.frostbyte.core.keys.TenantKeysetStore;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class TenantKeyringTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final byte[] AD = "ad".getBytes(UTF_8);

    private final InMemoryTenantKeysetStore store = new InMemoryTenantKeysetStore();
    private final TestMasterKey master = new TestMasterKey();
    private final MutableClock clock = new MutableClock(T0);
    private final TenantKeyring keyring = new TenantKeyring(store, master, clock);

    @Test
    void creating_a_keyset_stores_version_1_as_primary_wrapped_by_the_master_key_for_that_tenant() throws Exception {
        KeyVersion first = keyring.create(ACME);

        assertThat(first.version()).isEqualTo(1);
        assertThat(first.status()).isEqualTo(Status.PRIMARY);
        assertThat(first.createdAt()).isEqualTo(T0);
        StoredKeyset stored = store.find(ACME).orElseThrow();
        assertThat(stored.keysetId()).isEqualTo("kek-acme-corp");
        assertThat(stored.revision()).isEqualTo(1);
        assertThat(stored.versions()).containsExactly(first);
        assertThatThrownBy(() -> TinkProtoKeysetFormat.parseKeyset(
                        stored.wrappedKeyset(), InsecureSecretKeyAccess.get(), TinkSupport.configuration()))
                .isInstanceOf(GeneralSecurityException.class);
        KeysetHandle unwrapped = TinkProtoKeysetFormat.parseKeyset(
                master.aead().decrypt(stored.wrappedKeyset(), "frostbyte-kek|acme-corp".getBytes(UTF_8)),
                InsecureSecretKeyAccess.get(),
                TinkSupport.configuration());
        assertThat(unwrapped.size()).isEqualTo(1);
        assertThat(Integer.toUnsignedLong(unwrapped.getPrimary().getId())).isEqualTo(first.keyId());
        assertThat(unwrapped.getPrimary().getKey().getParameters()).isEqualTo(PredefinedAeadParameters.AES256_GCM);
    }

    @Test
    void the_kek_encrypts_under_the_primary_key_id_and_round_trips() throws Exception {
        KeyVersion first = keyring.create(ACME);

        byte[] ciphertext = keyring.kek(ACME).encrypt("dek".getBytes(UTF_8), AD);

        assertThat(keyIdOf(ciphertext)).isEqualTo(first.keyId());
        assertThat(keyring.kek(ACME).decrypt(ciphertext, AD)).isEqualTo("dek".getBytes(UTF_8));
    }

    @Test
    void creating_a_second_keyset_for_a_tenant_fails_with_invalid_state_transition() {
        keyring.create(ACME);
        byte[] before = store.find(ACME).orElseThrow().wrappedKeyset();

        assertCode(() -> keyring.create(ACME), ErrorCode.INVALID_STATE_TRANSITION);
        assertThat(store.find(ACME).orElseThrow().wrappedKeyset()).isEqualTo(before);
    }

    @Test
    void rotating_adds_a_new_primary_and_the_previous_one_keeps_decrypting() throws Exception {
        KeyVersion first = keyring.create(ACME);
        byte[] underFirst = keyring.kek(ACME).encrypt("old dek".getBytes(UTF_8), AD);
        clock.advance(Duration.ofDays(90));

        KeyVersion second = keyring.rotate(ACME);

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.status()).isEqualTo(Status.PRIMARY);
        assertThat(second.createdAt()).isEqualTo(T0.plus(Duration.ofDays(90)));
        assertThat(second.keyId()).isNotEqualTo(first.keyId());
        assertThat(keyring.versions(ACME))
                .extracting(KeyVersion::version, KeyVersion::status, KeyVersion::keyId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, Status.ACTIVE, first.keyId()),
                        org.assertj.core.groups.Tuple.tuple(2, Status.PRIMARY, second.keyId()));
        assertThat(store.find(ACME).orElseThrow().revision()).isEqualTo(2);
        Aead kek = keyring.kek(ACME);
        assertThat(kek.decrypt(underFirst, AD)).isEqualTo("old dek".getBytes(UTF_8));
        assertThat(keyIdOf(kek.encrypt("new dek".getBytes(UTF_8), AD))).isEqualTo(second.keyId());
        assertThat(keyring.rotate(ACME).version()).isEqualTo(3);
    }

    @Test
    void a_wrapped_keyset_copied_into_another_tenants_row_fails_with_decryption_failed() {
        keyring.create(ACME);
        StoredKeyset acme = store.find(ACME).orElseThrow();
        store.insert(
                new StoredKeyset(GLOBEX, "kek-globex", acme.wrappedKeyset(), 1, acme.versions(), T0, Optional.empty()));

        assertCode(() -> keyring.kek(GLOBEX), ErrorCode.DECRYPTION_FAILED);
        assertCode(() -> keyring.rotate(GLOBEX), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void a_keyset_wrapped_by_another_master_key_fails_with_decryption_failed() {
        keyring.create(ACME);
        TenantKeyring otherMaster = new TenantKeyring(store, new TestMasterKey(), clock);

        assertCode(() -> otherMaster.kek(ACME), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void the_primary_version_can_be_neither_retired_nor_destroyed() {
        keyring.create(ACME);
        keyring.rotate(ACME);

        assertCode(() -> keyring.retireVersion(ACME, 2), ErrorCode.INVALID_STATE_TRANSITION);
        assertCode(() -> keyring.destroyVersion(ACME, 2), ErrorCode.INVALID_STATE_TRANSITION);
        assertThat(keyring.versions(ACME))
                .extracting(KeyVersion::status)
                .containsExactly(Status.ACTIVE, Status.PRIMARY);
    }

    @Test
    void a_version_must_be_retired_before_it_is_destroyed() {
        keyring.create(ACME);
        keyring.rotate(ACME);

        assertCode(() -> keyring.destroyVersion(ACME, 1), ErrorCode.INVALID_STATE_TRANSITION);
        assertThat(keyring.versions(ACME).get(0).status()).isEqualTo(Status.ACTIVE);
    }

    @Test
    void a_retired_version_still_decrypts_and_retiring_it_again_changes_nothing() throws Exception {
        keyring.create(ACME);
        byte[] underFirst = keyring.kek(ACME).encrypt("dek".getBytes(UTF_8), AD);
        keyring.rotate(ACME);

        KeyVersion retired = keyring.retireVersion(ACME, 1);
        long revision = store.find(ACME).orElseThrow().revision();

        assertThat(retired.status()).isEqualTo(Status.RETIRED);
        assertThat(keyring.retireVersion(ACME, 1)).isEqualTo(retired);
        assertThat(store.find(ACME).orElseThrow().revision()).isEqualTo(revision);
        assertThat(keyring.kek(ACME).decrypt(underFirst, AD)).isEqualTo("dek".getBytes(UTF_8));
    }

    @Test
    void destroying_a_retired_version_removes_its_key_for_good() throws Exception {
        KeyVersion first = keyring.create(ACME);
        byte[] underFirst = keyring.kek(ACME).encrypt("dek".getBytes(UTF_8), AD);
        KeyVersion second = keyring.rotate(ACME);
        keyring.retireVersion(ACME, 1);
        clock.advance(Duration.ofDays(30));

        KeyVersion destroyed = keyring.destroyVersion(ACME, 1);

        assertThat(destroyed)
                .isEqualTo(new KeyVersion(
                        1, first.keyId(), Status.DESTROYED, T0, Optional.of(T0.plus(Duration.ofDays(30)))));
        assertThat(keyring.destroyVersion(ACME, 1)).isEqualTo(destroyed);
        assertThatThrownBy(() -> keyring.kek(ACME).decrypt(underFirst, AD))
                .isInstanceOf(GeneralSecurityException.class);
        KeysetHandle unwrapped = TinkProtoKeysetFormat.parseKeyset(
                master.aead()
                        .decrypt(
                                store.find(ACME).orElseThrow().wrappedKeyset(),
                                "frostbyte-kek|acme-corp".getBytes(UTF_8)),
                InsecureSecretKeyAccess.get(),
                TinkSupport.configuration());
        assertThat(unwrapped.size()).isEqualTo(1);
        assertThat(Integer.toUnsignedLong(unwrapped.getPrimary().getId())).isEqualTo(second.keyId());
        assertCode(() -> keyring.retireVersion(ACME, 1), ErrorCode.INVALID_STATE_TRANSITION);
        assertThat(keyring.rotate(ACME).version()).isEqualTo(3);
    }

    @Test
    void an_unknown_version_is_not_found() {
        keyring.create(ACME);

        assertCode(() -> keyring.retireVersion(ACME, 7), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> keyring.destroyVersion(ACME, 7), ErrorCode.RESOURCE_NOT_FOUND);
    }

    @Test
    void a_tenant_without_a_keyset_is_not_found_everywhere() {
        assertCode(() -> keyring.kek(ACME), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> keyring.rotate(ACME), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> keyring.versions(ACME), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> keyring.retireVersion(ACME, 1), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> keyring.shred(ACME), ErrorCode.RESOURCE_NOT_FOUND);
    }

    @Test
    void shredding_destroys_every_version_and_every_later_use_fails_with_keys_destroyed() {
        keyring.create(ACME);
        keyring.kek(ACME);
        keyring.rotate(ACME);
        clock.advance(Duration.ofHours(1));

        StoredKeyset tombstone = keyring.shred(ACME);

        assertThat(tombstone.keysetId()).isEqualTo("kek-acme-corp");
        assertThat(tombstone.wrappedKeyset()).isEmpty();
        assertThat(tombstone.destroyedAt()).contains(T0.plus(Duration.ofHours(1)));
        assertThat(tombstone.versions())
                .extracting(KeyVersion::version, KeyVersion::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, Status.DESTROYED),
                        org.assertj.core.groups.Tuple.tuple(2, Status.DESTROYED));
        assertCode(() -> keyring.kek(ACME), ErrorCode.KEYS_DESTROYED);
        assertCode(() -> keyring.rotate(ACME), ErrorCode.KEYS_DESTROYED);
        assertCode(() -> keyring.retireVersion(ACME, 1), ErrorCode.KEYS_DESTROYED);
        assertCode(() -> keyring.create(ACME), ErrorCode.INVALID_STATE_TRANSITION);
        assertThat(keyring.versions(ACME)).extracting(KeyVersion::status).containsOnly(Status.DESTROYED);
        assertThat(keyring.shred(ACME).destroyedAt()).contains(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void shredding_one_tenant_leaves_another_untouched() throws Exception {
        keyring.create(ACME);
        keyring.create(GLOBEX);
        byte[] ciphertext = keyring.kek(GLOBEX).encrypt("dek".getBytes(UTF_8), AD);

        keyring.shred(ACME);

        assertThat(keyring.kek(GLOBEX).decrypt(ciphertext, AD)).isEqualTo("dek".getBytes(UTF_8));
    }

    @Test
    void a_rotation_on_another_node_is_used_here_once_the_cache_ttl_has_passed() throws Exception {
        TenantKeyring nodeA = keyring;
        TenantKeyring nodeB = new TenantKeyring(store, master, clock, Duration.ofSeconds(30));
        KeyVersion first = nodeA.create(ACME);
        nodeB.kek(ACME);

        KeyVersion second = nodeA.rotate(ACME);

        assertThat(keyIdOf(nodeB.kek(ACME).encrypt(new byte[] {1}, AD))).isEqualTo(first.keyId());
        clock.advance(Duration.ofSeconds(30));
        assertThat(keyIdOf(nodeB.kek(ACME).encrypt(new byte[] {1}, AD))).isEqualTo(second.keyId());
    }

    @Test
    void a_shred_on_another_node_takes_effect_here_once_the_cache_ttl_has_passed() {
        TenantKeyring nodeB = new TenantKeyring(store, master, clock, Duration.ofSeconds(30));
        keyring.create(ACME);
        nodeB.kek(ACME);

        keyring.shred(ACME);

        clock.advance(Duration.ofSeconds(29));
        assertThat(nodeB.kek(ACME)).isNotNull();
        clock.advance(Duration.ofSeconds(1));
        assertCode(() -> nodeB.kek(ACME), ErrorCode.KEYS_DESTROYED);
    }

    @Test
    void a_zero_ttl_reads_the_store_on_every_call() {
        TenantKeyring nodeB = new TenantKeyring(store, master, clock, Duration.ZERO);
        keyring.create(ACME);
        nodeB.kek(ACME);

        keyring.shred(ACME);

        assertCode(() -> nodeB.kek(ACME), ErrorCode.KEYS_DESTROYED);
    }

    @Test
    void a_rotation_racing_with_another_writer_is_retried_and_both_land() {
        TenantKeyring other = new TenantKeyring(store, master, clock);
        RacingStore racing = new RacingStore(store, () -> other.rotate(ACME));
        TenantKeyring nodeA = new TenantKeyring(racing, master, clock);
        keyring.create(ACME);

        KeyVersion rotated = nodeA.rotate(ACME);

        assertThat(rotated.version()).isEqualTo(3);
        assertThat(keyring.versions(ACME))
                .extracting(KeyVersion::version, KeyVersion::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, Status.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(2, Status.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(3, Status.PRIMARY));
        assertThat(store.find(ACME).orElseThrow().revision()).isEqualTo(3);
    }

    @Test
    void a_version_list_edited_in_the_store_is_refused() {
        keyring.create(ACME);
        keyring.rotate(ACME);
        StoredKeyset stored = store.find(ACME).orElseThrow();
        List<KeyVersion> swapped = List.of(
                new KeyVersion(1, stored.versions().get(0).keyId(), Status.PRIMARY, T0, Optional.empty()),
                new KeyVersion(2, stored.versions().get(1).keyId(), Status.ACTIVE, T0, Optional.empty()));
        store.replace(
                new StoredKeyset(ACME, stored.keysetId(), stored.wrappedKeyset(), 3, swapped, T0, Optional.empty()), 2);
        TenantKeyring fresh = new TenantKeyring(store, master, clock);

        assertCode(() -> fresh.kek(ACME), ErrorCode.INTERNAL_ERROR);
    }

    private static long keyIdOf(byte[] tinkCiphertext) {
        assertThat(tinkCiphertext[0]).isEqualTo((byte) 1);
        return Integer.toUnsignedLong(ByteBuffer.wrap(tinkCiphertext, 1, 4).getInt());
    }

    static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Runs {@code intruder} once, just before the first replace, as a concurrent writer would. */
    private static final class RacingStore implements TenantKeysetStore {
        private final TenantKeysetStore delegate;
        private final Runnable intruder;
        private final AtomicBoolean raced = new AtomicBoolean();

        RacingStore(TenantKeysetStore delegate, Runnable intruder) {
            this.delegate = delegate;
            this.intruder = intruder;
        }

        @Override
        public Optional<StoredKeyset> find(TenantId tenantId) {
            return delegate.find(tenantId);
        }

        @Override
        public void insert(StoredKeyset keyset) {
            delegate.insert(keyset);
        }

        @Override
        public void replace(StoredKeyset keyset, long expectedRevision) {
            if (raced.compareAndSet(false, true)) {
                intruder.run();
            }
            delegate.replace(keyset, expectedRevision);
        }

        @Override
        public void destroy(TenantId tenantId, Instant at) {
            delegate.destroy(tenantId, at);
        }
    }
}
