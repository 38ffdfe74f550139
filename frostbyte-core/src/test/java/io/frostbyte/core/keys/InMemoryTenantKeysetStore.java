package io.frostbyte.core.keys;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A hand-written in-memory {@link TenantKeysetStore} for tests; passes {@link TenantKeysetStoreContract}. */
public final class InMemoryTenantKeysetStore implements TenantKeysetStore {
    private final Map<TenantId, StoredKeyset> keysets = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredKeyset> find(TenantId tenantId) {
        return Optional.ofNullable(keysets.get(tenantId));
    }

    @Override
    public void insert(StoredKeyset keyset) {
        if (keyset.revision() != 1) {
            throw new IllegalArgumentException("a new keyset has revision 1");
        }
        if (keysets.putIfAbsent(keyset.tenantId(), keyset) != null) {
            throw new FrostbyteException(ErrorCode.INVALID_STATE_TRANSITION, "tenant already has a keyset");
        }
    }

    @Override
    public synchronized void replace(StoredKeyset keyset, long expectedRevision) {
        StoredKeyset current = keysets.get(keyset.tenantId());
        if (current == null) {
            throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "tenant has no keyset");
        }
        if (current.destroyed()
                || current.revision() != expectedRevision
                || keyset.revision() != expectedRevision + 1) {
            throw new FrostbyteException(ErrorCode.INVALID_STATE_TRANSITION, "keyset revision moved on or destroyed");
        }
        keysets.put(keyset.tenantId(), keyset);
    }

    @Override
    public synchronized void destroy(TenantId tenantId, Instant at) {
        StoredKeyset current = keysets.get(tenantId);
        if (current == null) {
            throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "tenant has no keyset");
        }
        if (current.destroyed()) {
            return;
        }
        List<KeyVersion> destroyed = current.versions().stream()
                .map(v -> new KeyVersion(
                        v.version(),
                        v.keyId(),
                        KeyVersion.Status.DESTROYED,
                        v.createdAt(),
                        Optional.of(v.destroyedAt().orElse(at))))
                .toList();
        keysets.put(
                tenantId,
                new StoredKeyset(
                        tenantId,
                        current.keysetId(),
                        new byte[0],
                        current.revision() + 1,
                        destroyed,
                        current.createdAt(),
                        Optional.of(at)));
    }
}
