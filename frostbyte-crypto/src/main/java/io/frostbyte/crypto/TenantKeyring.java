package io.frostbyte.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.KeyVersion;
import io.frostbyte.core.keys.StoredKeyset;
import io.frostbyte.core.keys.TenantKeysetStore;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Tenants' key-encryption keys (KEKs): one Tink AES-256-GCM keyset per tenant, versioned, stored through a
 * {@link TenantKeysetStore} wrapped by the {@link MasterKey} with associated data bound to the tenant id (a wrapped
 * keyset copied into another tenant's row does not decrypt).
 *
 * <p>Lifecycle of a version: {@code PRIMARY} (encrypts and decrypts) becomes {@code ACTIVE} (decrypts) when a rotation
 * adds a new primary; once every DEK was rewrapped ({@link EnvelopeCipher#rewrap}) it is {@link #retireVersion
 * retired} (still decrypts), and after the grace period {@link #destroyVersion destroyed} (its key is removed from the
 * keyset; objects still under it can never be read). {@link #shred} destroys the whole keyset (crypto-shredding).
 *
 * <p>Caching: decrypted keysets are cached per tenant for {@link #DEFAULT_CACHE_TTL} (or the TTL given). A change made
 * through this instance is visible to its next call at once. A change made on another node is seen here within the TTL
 * at the latest, with one exception that needs no wait: an object whose header names a KEK version newer than the
 * cached ones makes this keyring re-read the store, so objects encrypted elsewhere after a rotation always decrypt. The
 * staleness that remains: for up to the TTL after another node rotates, this node still encrypts under the previous
 * primary (which stays readable), and after another node shreds a tenant this node can still encrypt and decrypt that
 * tenant's objects until its cache entry expires. Callers that must see a shred at once (deprovisioning) run it on the
 * node that serves the tenant, or wait for the TTL before verifying.
 *
 * <p>Changes use the store's optimistic revision and are retried (up to 3 times) when another writer got there first.
 * Thread-safe. Holds no streams.
 */
public final class TenantKeyring {
    /** How long a decrypted keyset is reused before the store is read again. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);

    private static final Configuration TINK = TinkSupport.configuration();
    private static final int MAX_ATTEMPTS = 3;
    private static final int MAX_CACHED_TENANTS = 10_000;
    private static final String KEK_ASSOCIATED_DATA_PREFIX = "frostbyte-kek|";

    private final TenantKeysetStore store;
    private final MasterKey master;
    private final Clock clock;
    private final Duration cacheTtl;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<TenantId, Cached> cache = new ConcurrentHashMap<>();

    public TenantKeyring(TenantKeysetStore store, MasterKey master, Clock clock) {
        this(store, master, clock, DEFAULT_CACHE_TTL);
    }

    /** @param cacheTtl how long a decrypted keyset is reused; {@link Duration#ZERO} reads the store every time */
    public TenantKeyring(TenantKeysetStore store, MasterKey master, Clock clock, Duration cacheTtl) {
        this.store = requireNonNull(store, "store is null");
        this.master = requireNonNull(master, "master is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.cacheTtl = requireNonNull(cacheTtl, "cacheTtl is null");
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative: " + cacheTtl);
        }
    }

    /**
     * Creates the tenant's KEK keyset with version 1 as primary (provisioning step 1, spec/07 §7.2).
     *
     * @return version 1
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} when the tenant already has a keyset, destroyed ones
     *     included
     */
    public KeyVersion create(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        if (store.find(tenantId).isPresent()) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION, "tenant " + tenantId + " already has a keyset");
        }
        Instant now = clock.instant();
        try {
            KeysetHandle handle = KeysetHandle.newBuilder()
                    .addEntry(newKeyEntry(Set.of()).makePrimary())
                    .build();
            KeyVersion first = new KeyVersion(
                    1, unsigned(handle.getPrimary().getId()), KeyVersion.Status.PRIMARY, now, Optional.empty());
            StoredKeyset keyset = new StoredKeyset(
                    tenantId, keysetId(tenantId), wrap(tenantId, handle), 1, List.of(first), now, Optional.empty());
            store.insert(keyset);
            remember(snapshotOf(keyset, handle));
            return first;
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "cannot generate a KEK for tenant " + tenantId, e);
        }
    }

    /**
     * Adds a new key as primary; the previous primary becomes {@code ACTIVE} and keeps decrypting.
     *
     * @return the new primary version ({@code highest + 1})
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} without a keyset, {@code KEYS_DESTROYED} after a shred
     */
    public KeyVersion rotate(TenantId tenantId) {
        return mutate(tenantId, (current, handle) -> {
            Set<Long> usedIds =
                    current.versions().stream().map(KeyVersion::keyId).collect(Collectors.toUnmodifiableSet());
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
            builder.addEntry(newKeyEntry(usedIds).makePrimary());
            KeysetHandle next = builder.build();
            int nextVersion = current.versions().stream()
                            .mapToInt(KeyVersion::version)
                            .max()
                            .orElse(0)
                    + 1;
            KeyVersion primary = new KeyVersion(
                    nextVersion,
                    unsigned(next.getPrimary().getId()),
                    KeyVersion.Status.PRIMARY,
                    clock.instant(),
                    Optional.empty());
            List<KeyVersion> versions = new ArrayList<>();
            for (KeyVersion v : current.versions()) {
                versions.add(v.status() == KeyVersion.Status.PRIMARY ? withStatus(v, KeyVersion.Status.ACTIVE) : v);
            }
            versions.add(primary);
            return new Change<>(next, versions, primary);
        });
    }

    /**
     * Marks an {@code ACTIVE} version {@code RETIRED}: every DEK was rewrapped away from it. A retired version still
     * decrypts until destroyed. Idempotent for a retired version.
     *
     * @return the version as it is now
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} for the primary or a destroyed version,
     *     {@code RESOURCE_NOT_FOUND} for an unknown version or tenant, {@code KEYS_DESTROYED} after a shred
     */
    public KeyVersion retireVersion(TenantId tenantId, int version) {
        return mutate(tenantId, (current, handle) -> {
            KeyVersion found = requireVersion(current, version);
            return switch (found.status()) {
                case RETIRED -> Change.unchanged(found);
                case ACTIVE -> {
                    KeyVersion retired = withStatus(found, KeyVersion.Status.RETIRED);
                    yield new Change<>(handle, replace(current.versions(), retired), retired);
                }
                case PRIMARY, DESTROYED -> throw illegalTransition(tenantId, found, KeyVersion.Status.RETIRED);
            };
        });
    }

    /**
     * Destroys a {@code RETIRED} version: its key is removed from the keyset for good, and objects whose DEK is still
     * wrapped by it fail with {@code KEYS_DESTROYED}. Idempotent for a destroyed version.
     *
     * @return the version as it is now
     * @throws FrostbyteException {@code INVALID_STATE_TRANSITION} for the primary or a version not yet retired,
     *     {@code RESOURCE_NOT_FOUND} for an unknown version or tenant, {@code KEYS_DESTROYED} after a shred
     */
    public KeyVersion destroyVersion(TenantId tenantId, int version) {
        return mutate(tenantId, (current, handle) -> {
            KeyVersion found = requireVersion(current, version);
            return switch (found.status()) {
                case DESTROYED -> Change.unchanged(found);
                case RETIRED -> {
                    KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
                    builder.deleteAt(indexOf(handle, found, tenantId));
                    KeyVersion destroyed = new KeyVersion(
                            found.version(),
                            found.keyId(),
                            KeyVersion.Status.DESTROYED,
                            found.createdAt(),
                            Optional.of(clock.instant()));
                    yield new Change<>(builder.build(), replace(current.versions(), destroyed), destroyed);
                }
                case PRIMARY, ACTIVE -> throw illegalTransition(tenantId, found, KeyVersion.Status.DESTROYED);
            };
        });
    }

    /**
     * Crypto-shreds the tenant: the store erases the wrapped keyset (all versions) and keeps a tombstone; from then on
     * every encrypt and decrypt for the tenant fails with {@code KEYS_DESTROYED} (on other nodes after their cache TTL).
     * Idempotent.
     *
     * @return the tombstone: keyset id, versions (all {@code DESTROYED}) and the time, for the deletion receipt
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} when the tenant never had a keyset
     */
    public StoredKeyset shred(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        store.destroy(tenantId, clock.instant());
        StoredKeyset tombstone = load(tenantId);
        remember(new KekSnapshot(tenantId, tombstone.revision(), tombstone.versions(), null));
        return tombstone;
    }

    /**
     * The tenant's versions in ascending order, read from the store (not the cache); after a shred, the tombstone's.
     *
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} when the tenant has no keyset
     */
    public List<KeyVersion> versions(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        return load(tenantId).versions();
    }

    /**
     * The tenant's KEK as a Tink {@link Aead}: encrypts under the primary version, decrypts under any version not
     * destroyed. The returned object is thread-safe and keeps working after a later rotate or shred; ask again to see
     * those.
     *
     * @throws FrostbyteException {@code RESOURCE_NOT_FOUND} without a keyset, {@code KEYS_DESTROYED} after a shred,
     *     {@code DECRYPTION_FAILED} when the stored keyset does not decrypt under the master key for this tenant
     */
    public Aead kek(TenantId tenantId) {
        return live(tenantId).requireAead();
    }

    /** The cached (or freshly loaded) snapshot; fails for a missing or destroyed keyset. */
    KekSnapshot live(TenantId tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        Cached cached = cache.get(tenantId);
        KekSnapshot snapshot =
                cached != null && clock.instant().isBefore(cached.expiresAt()) ? cached.snapshot() : refresh(tenantId);
        snapshot.requireAead();
        return snapshot;
    }

    /** Like {@link #live} but re-reads the store once when {@code version} is newer than every cached version. */
    KekSnapshot liveWithVersion(TenantId tenantId, int version) {
        KekSnapshot snapshot = live(tenantId);
        if (version > snapshot.highestVersion()) {
            snapshot = refresh(tenantId);
            snapshot.requireAead();
        }
        return snapshot;
    }

    static FrostbyteException keysDestroyed(TenantId tenantId) {
        return new FrostbyteException(
                ErrorCode.KEYS_DESTROYED, "keys of tenant " + tenantId + " were destroyed (crypto-shredded)");
    }

    private KekSnapshot refresh(TenantId tenantId) {
        StoredKeyset stored = load(tenantId);
        KekSnapshot snapshot = stored.destroyed()
                ? new KekSnapshot(tenantId, stored.revision(), stored.versions(), null)
                : snapshotOf(stored, unwrap(stored));
        remember(snapshot);
        return snapshot;
    }

    private void remember(KekSnapshot snapshot) {
        if (cache.size() >= MAX_CACHED_TENANTS) {
            cache.clear();
        }
        Cached fresh = new Cached(snapshot, clock.instant().plus(cacheTtl));
        // a slower reader must not put back an older revision than a change made meanwhile
        cache.merge(
                snapshot.tenantId(),
                fresh,
                (old, candidate) ->
                        candidate.snapshot().revision() >= old.snapshot().revision() ? candidate : old);
    }

    private StoredKeyset load(TenantId tenantId) {
        return store.find(tenantId)
                .orElseThrow(() ->
                        new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "tenant " + tenantId + " has no keyset"));
    }

    private <T> T mutate(TenantId tenantId, Mutation<T> mutation) {
        requireNonNull(tenantId, "tenantId is null");
        for (int attempt = 1; ; attempt++) {
            StoredKeyset current = load(tenantId);
            if (current.destroyed()) {
                throw keysDestroyed(tenantId);
            }
            KeysetHandle handle = unwrap(current);
            Change<T> change;
            try {
                change = mutation.apply(current, handle);
            } catch (GeneralSecurityException e) {
                throw new FrostbyteException(
                        ErrorCode.INTERNAL_ERROR, "cannot change the keyset of tenant " + tenantId, e);
            }
            if (change.handle() == null) {
                return change.result();
            }
            StoredKeyset next = new StoredKeyset(
                    tenantId,
                    current.keysetId(),
                    wrap(tenantId, change.handle()),
                    current.revision() + 1,
                    change.versions(),
                    current.createdAt(),
                    Optional.empty());
            try {
                store.replace(next, current.revision());
            } catch (FrostbyteException e) {
                if (e.code() != ErrorCode.INVALID_STATE_TRANSITION || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                StoredKeyset now = load(tenantId);
                if (now.destroyed()) {
                    throw keysDestroyed(tenantId);
                }
                if (now.revision() == current.revision()) {
                    throw e;
                }
                continue;
            }
            remember(snapshotOf(next, change.handle()));
            return change.result();
        }
    }

    private byte[] wrap(TenantId tenantId, KeysetHandle handle) {
        byte[] clear = null;
        try {
            clear = TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get(), TINK);
            return master.aead().encrypt(clear, kekAssociatedData(tenantId));
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR,
                    "cannot wrap the keyset of tenant " + tenantId + " with " + master.id(),
                    e);
        } finally {
            if (clear != null) {
                Arrays.fill(clear, (byte) 0);
            }
        }
    }

    private KeysetHandle unwrap(StoredKeyset stored) {
        TenantId tenantId = stored.tenantId();
        byte[] clear;
        try {
            clear = master.aead().decrypt(stored.wrappedKeyset(), kekAssociatedData(tenantId));
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(
                    ErrorCode.DECRYPTION_FAILED,
                    "keyset " + stored.keysetId() + " does not decrypt for tenant " + tenantId + " under "
                            + master.id(),
                    e);
        }
        KeysetHandle handle;
        try {
            handle = TinkProtoKeysetFormat.parseKeyset(clear, InsecureSecretKeyAccess.get(), TINK);
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "keyset " + stored.keysetId() + " of tenant " + tenantId + " is corrupt");
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
        requireConsistent(stored, handle);
        return handle;
    }

    /** The version list lives beside the authenticated keyset; refuse a row whose list was edited. */
    private static void requireConsistent(StoredKeyset stored, KeysetHandle handle) {
        Set<Long> keysetIds = new HashSet<>();
        for (int i = 0; i < handle.size(); i++) {
            keysetIds.add(unsigned(handle.getAt(i).getId()));
        }
        Set<Long> liveIds = new HashSet<>();
        boolean consistent = true;
        for (KeyVersion v : stored.versions()) {
            if (v.status() == KeyVersion.Status.DESTROYED) {
                continue;
            }
            liveIds.add(v.keyId());
            if (v.status() == KeyVersion.Status.PRIMARY) {
                consistent &= unsigned(handle.getPrimary().getId()) == v.keyId();
            }
        }
        consistent &= liveIds.equals(keysetIds);
        consistent &= stored.versions().stream()
                        .filter(v -> v.status() == KeyVersion.Status.PRIMARY)
                        .count()
                == 1;
        if (!consistent) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR,
                    "keyset " + stored.keysetId() + " of tenant " + stored.tenantId()
                            + " does not match its version list");
        }
    }

    private static KekSnapshot snapshotOf(StoredKeyset stored, KeysetHandle handle) {
        try {
            return new KekSnapshot(
                    stored.tenantId(), stored.revision(), stored.versions(), handle.getPrimitive(TINK, Aead.class));
        } catch (GeneralSecurityException e) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "keyset of tenant " + stored.tenantId() + " gives no AEAD", e);
        }
    }

    private KeysetHandle.Builder.Entry newKeyEntry(Set<Long> usedIds) {
        int id;
        do {
            id = random.nextInt();
        } while (id == 0 || usedIds.contains(unsigned(id)));
        return KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                .withFixedId(id)
                .setStatus(KeyStatus.ENABLED);
    }

    private static KeyVersion requireVersion(StoredKeyset keyset, int version) {
        return keyset.versions().stream()
                .filter(v -> v.version() == version)
                .findFirst()
                .orElseThrow(() -> new FrostbyteException(
                        ErrorCode.RESOURCE_NOT_FOUND,
                        "tenant " + keyset.tenantId() + " has no key version " + version));
    }

    private static int indexOf(KeysetHandle handle, KeyVersion version, TenantId tenantId) {
        for (int i = 0; i < handle.size(); i++) {
            if (unsigned(handle.getAt(i).getId()) == version.keyId()) {
                return i;
            }
        }
        throw new FrostbyteException(
                ErrorCode.INTERNAL_ERROR,
                "keyset of tenant " + tenantId + " lacks the key of version " + version.version());
    }

    private static FrostbyteException illegalTransition(TenantId tenantId, KeyVersion version, KeyVersion.Status to) {
        return new FrostbyteException(
                ErrorCode.INVALID_STATE_TRANSITION,
                "key version " + version.version() + " of tenant " + tenantId + " is " + version.status()
                        + " and cannot become " + to);
    }

    private static List<KeyVersion> replace(List<KeyVersion> versions, KeyVersion changed) {
        return versions.stream()
                .map(v -> v.version() == changed.version() ? changed : v)
                .toList();
    }

    private static KeyVersion withStatus(KeyVersion version, KeyVersion.Status status) {
        return new KeyVersion(version.version(), version.keyId(), status, version.createdAt(), version.destroyedAt());
    }

    static String keysetId(TenantId tenantId) {
        return "kek-" + tenantId.value();
    }

    private static byte[] kekAssociatedData(TenantId tenantId) {
        return (KEK_ASSOCIATED_DATA_PREFIX + tenantId.value()).getBytes(UTF_8);
    }

    static long unsigned(int keyId) {
        return Integer.toUnsignedLong(keyId);
    }

    private record Cached(KekSnapshot snapshot, Instant expiresAt) {}

    /** What a change produces: the new keyset and versions, or {@code handle == null} when nothing changes. */
    private record Change<T>(KeysetHandle handle, List<KeyVersion> versions, T result) {
        static <T> Change<T> unchanged(T result) {
            return new Change<>(null, List.of(), result);
        }
    }

    @FunctionalInterface
    private interface Mutation<T> {
        Change<T> apply(StoredKeyset current, KeysetHandle handle) throws GeneralSecurityException;
    }
}
