package io.frostbyte.core.keys;

class InMemoryTenantKeysetStoreTest extends TenantKeysetStoreContract {
    private final InMemoryTenantKeysetStore store = new InMemoryTenantKeysetStore();

    @Override
    protected TenantKeysetStore store() {
        return store;
    }
}
