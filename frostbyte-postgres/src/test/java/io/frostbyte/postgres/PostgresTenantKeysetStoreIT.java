package io.frostbyte.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.KeyVersion;
import io.frostbyte.core.keys.StoredKeyset;
import io.frostbyte.core.keys.TenantKeysetStore;
import io.frostbyte.core.keys.TenantKeysetStoreContract;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresTenantKeysetStoreIT extends TenantKeysetStoreContract {
    private static TestDatabase db;
    private static PostgresTenantKeysetStore store;

    @BeforeAll
    static void database() {
        db = PostgresTestSupport.freshDatabase(4);
        store = new PostgresTenantKeysetStore(db.dataSource(), db.database().adminDataSource());
        PostgresTenantRegistry registry = new PostgresTenantRegistry(db.dataSource(), Clock.systemUTC());
        // the contract's tenants; keysets reference registered tenants
        registry.create(TenantId.of("acme-corp"), "Acme Corp", "ops@acme.example", "standard");
        registry.create(TenantId.of("globex"), "Globex", "ops@globex.example", "premium");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void emptyStore() {
        db.execute("DELETE FROM tenant_keysets");
    }

    @Override
    protected TenantKeysetStore store() {
        return store;
    }

    @Test
    void keeps_version_instants_to_the_nanosecond_and_destroyed_versions_as_they_were() {
        TenantId tenant = TenantId.of("acme-corp");
        Instant created = Instant.parse("2026-03-02T10:15:30.123456789Z");
        Instant retiredDestroyed = Instant.parse("2026-03-10T00:00:00.000000001Z");
        StoredKeyset keyset = new StoredKeyset(
                tenant,
                "ks-acme",
                new byte[] {7, 7},
                1,
                List.of(
                        new KeyVersion(2, 2002, KeyVersion.Status.PRIMARY, created, Optional.empty()),
                        new KeyVersion(1, 1001, KeyVersion.Status.DESTROYED, created, Optional.of(retiredDestroyed))),
                Instant.parse("2026-03-02T10:15:30Z"),
                Optional.empty());
        store.insert(keyset);

        assertThat(store.find(tenant)).contains(keyset);
        assertThat(store.find(tenant).orElseThrow().versions())
                .extracting(KeyVersion::version)
                .containsExactly(1, 2);
    }

    @Test
    void erases_the_wrapped_bytes_in_the_table_itself() {
        TenantId tenant = TenantId.of("globex");
        store.insert(keyset(tenant, 1, new byte[] {1, 2, 3}, 1));

        store.destroy(tenant, Instant.parse("2026-04-01T00:00:00Z"));

        assertThat(db.queryLong("SELECT length(wrapped) FROM tenant_keysets WHERE tenant_id = 'globex'"))
                .isZero();
        assertThat(db.queryLong("SELECT revision FROM tenant_keysets WHERE tenant_id = 'globex'"))
                .isEqualTo(2);
    }

    @Test
    void rewrites_the_table_after_a_destruction_through_the_owner_connection() {
        TenantId tenant = TenantId.of("globex");
        store.insert(keyset(tenant, 1, new byte[] {1, 2, 3}, 1));
        long before = db.queryLong("SELECT pg_relation_filenode('tenant_keysets')");

        store.destroy(tenant, Instant.parse("2026-04-01T00:00:00Z"));

        assertThat(db.queryLong("SELECT pg_relation_filenode('tenant_keysets')"))
                .as("VACUUM FULL writes a new relation file")
                .isNotEqualTo(before);
    }

    @Test
    void refuses_a_keyset_for_an_unregistered_tenant() {
        assertThatThrownBy(() -> store.insert(keyset(TenantId.of("nobody-here"), 1, new byte[] {1}, 1)))
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_NOT_FOUND));
    }
}
