package io.frostbyte.server.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.InMemoryTenantKeysetStore;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.crypto.EnvelopeCipher;
import io.frostbyte.crypto.FileMasterKey;
import io.frostbyte.crypto.TenantKeyring;
import io.frostbyte.objectstore.FilesystemObjectStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingJanitorTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dataDir;

    private FilesystemObjectStore store;

    @BeforeEach
    void twoTenants() {
        TenantKeyring keyring = new TenantKeyring(
                new InMemoryTenantKeysetStore(),
                FileMasterKey.loadOrCreate(dataDir.resolve("master.key")),
                Clock.systemUTC(),
                Duration.ZERO);
        store = new FilesystemObjectStore(dataDir, new EnvelopeCipher(keyring));
        for (TenantId tenant : List.of(ACME, GLOBEX)) {
            keyring.create(tenant);
            store.createNamespace(tenant);
        }
    }

    private void put(TenantId tenant, ObjectKey key, Instant written) throws Exception {
        byte[] bytes = "staged part".getBytes(StandardCharsets.UTF_8);
        store.put(tenant, key, new ByteArrayInputStream(bytes), bytes.length);
        Path file = dataDir.resolve("tenants")
                .resolve(tenant.value())
                .resolve("objects")
                .resolve(key.value());
        Files.setLastModifiedTime(file, FileTime.from(written));
    }

    @Test
    void staging_objects_older_than_a_day_are_deleted_and_younger_ones_and_stored_files_are_kept() throws Exception {
        ObjectKey orphan = ObjectKey.staging("batch-crashed", 1);
        ObjectKey streaming = ObjectKey.staging("batch-streaming", 1);
        ObjectKey raw = ObjectKey.raw("f-0001", "a".repeat(64));
        put(ACME, orphan, NOW.minus(Duration.ofHours(25)));
        put(ACME, streaming, NOW.minus(Duration.ofMinutes(5)));
        put(ACME, raw, NOW.minus(Duration.ofDays(30)));
        put(GLOBEX, orphan, NOW.minus(Duration.ofHours(23)));
        StagingJanitor janitor =
                new StagingJanitor(store, () -> List.of(ACME, GLOBEX), Clock.fixed(NOW, ZoneOffset.UTC));

        int deleted = janitor.sweep();

        assertThat(deleted).isEqualTo(1);
        assertThat(store.list(ACME, "")).containsExactlyInAnyOrder(streaming, raw);
        assertThat(store.list(GLOBEX, "")).containsExactly(orphan);
        assertThat(janitor.sweep()).isZero();
    }

    @Test
    void a_tenant_whose_namespace_is_gone_does_not_stop_the_sweep_of_the_others() throws Exception {
        ObjectKey orphan = ObjectKey.staging("batch-crashed", 1);
        put(GLOBEX, orphan, NOW.minus(Duration.ofDays(2)));
        store.deleteNamespace(ACME);
        StagingJanitor janitor =
                new StagingJanitor(store, () -> List.of(ACME, GLOBEX), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(janitor.sweep()).isEqualTo(1);
        assertThat(store.list(GLOBEX, "staging/")).isEmpty();
    }
}
