package io.frostbyte.postgres;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.ProvisioningStep;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written {@link ProvisioningStep} holding its "resources" in a set, with switches to make calls fail. Records
 * every call as {@code name:method}.
 */
final class FakeStep implements ProvisioningStep {
    private final String name;
    private final List<String> calls;
    private final Set<TenantId> resources = ConcurrentHashMap.newKeySet();
    /** Provision failures still to come (each failed attempt uses one); -1 fails for ever. */
    final AtomicInteger provisionFailures = new AtomicInteger();

    volatile boolean rollbackFails;
    volatile boolean deprovisionFails;

    FakeStep(String name, List<String> calls) {
        this.name = name;
        this.calls = calls;
    }

    static List<String> newCallLog() {
        return new CopyOnWriteArrayList<>();
    }

    boolean holds(TenantId tenantId) {
        return resources.contains(tenantId);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, String> provision(TenantId tenantId) {
        calls.add(name + ":provision");
        resources.add(tenantId);
        int left = provisionFailures.get();
        if (left != 0) {
            if (left > 0) {
                provisionFailures.decrementAndGet();
            }
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, name + " unavailable (test)");
        }
        return Map.of(name + "_id", name + "-" + tenantId.value());
    }

    @Override
    public void verify(TenantId tenantId) {
        calls.add(name + ":verify");
        if (!resources.contains(tenantId)) {
            throw new IllegalStateException("not provisioned");
        }
    }

    @Override
    public void rollback(TenantId tenantId) {
        calls.add(name + ":rollback");
        if (rollbackFails) {
            throw new IllegalStateException("rollback fails (test)");
        }
        resources.remove(tenantId);
    }

    @Override
    public void deprovision(TenantId tenantId) {
        calls.add(name + ":deprovision");
        if (deprovisionFails) {
            throw new FrostbyteException(ErrorCode.SERVICE_UNAVAILABLE, "deprovision fails (test)");
        }
        resources.remove(tenantId);
    }

    @Override
    public void verifyGone(TenantId tenantId) {
        calls.add(name + ":verifyGone");
        if (resources.contains(tenantId)) {
            throw new IllegalStateException("still there");
        }
    }
}
