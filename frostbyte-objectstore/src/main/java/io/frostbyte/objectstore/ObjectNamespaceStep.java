package io.frostbyte.objectstore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.tenant.ProvisioningStep;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Provisioning step {@value #NAME} (spec/07 §7.2, §7.4): the tenant's object namespace in an {@link ObjectStore}.
 * {@link #verify} writes, reads back and deletes an encrypted probe object, so it needs the tenant's keys (step
 * {@value ProvisioningStep#KEYS}) first. {@link #rollback} and {@link #deprovision} empty the namespace, verify it is
 * empty and delete it; {@link #verifyGone} checks it no longer exists.
 *
 * <p>Thread-safe.
 */
public final class ObjectNamespaceStep implements ProvisioningStep {
    public static final String NAME = "object_namespace";

    static final ObjectKey PROBE_KEY = ObjectKey.staging("provisioning-probe", 0);
    private static final byte[] PROBE = "frostbyte object namespace probe".getBytes(UTF_8);

    private final ObjectStore store;

    public ObjectNamespaceStep(ObjectStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> provision(TenantId tenantId) {
        store.createNamespace(tenantId);
        return Map.of(NAME, store.namespaceName(tenantId));
    }

    @Override
    public void verify(TenantId tenantId) throws IOException {
        store.put(tenantId, PROBE_KEY, new ByteArrayInputStream(PROBE), PROBE.length);
        byte[] read;
        try (InputStream in = store.get(tenantId, PROBE_KEY)) {
            read = in.readAllBytes();
        } finally {
            store.delete(tenantId, PROBE_KEY);
        }
        if (!Arrays.equals(read, PROBE)) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "object probe of tenant " + tenantId + " read back other bytes");
        }
        if (store.exists(tenantId, PROBE_KEY)) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR, "object probe of tenant " + tenantId + " survived its delete");
        }
    }

    @Override
    public void rollback(TenantId tenantId) {
        store.deleteNamespace(tenantId);
    }

    @Override
    public void deprovision(TenantId tenantId) {
        store.deleteNamespace(tenantId);
    }

    @Override
    public void verifyGone(TenantId tenantId) {
        if (store.namespaceExists(tenantId)) {
            throw new FrostbyteException(
                    ErrorCode.INTERNAL_ERROR,
                    "object namespace " + store.namespaceName(tenantId) + " of tenant " + tenantId + " still exists");
        }
    }
}
