package io.frostbyte.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.crypto.EnvelopeCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path root;

    @Override
    protected ObjectStore createStore(EnvelopeCipher cipher) {
        return new FilesystemObjectStore(root, cipher);
    }

    @Override
    protected byte[] storedBytes(TenantId tenantId, ObjectKey key) throws IOException {
        return Files.readAllBytes(file(tenantId, key));
    }

    @Override
    protected void plantStoredBytes(TenantId tenantId, ObjectKey key, byte[] bytes) throws IOException {
        Path file = file(tenantId, key);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    private Path file(TenantId tenantId, ObjectKey key) {
        return root.resolve("tenants")
                .resolve(tenantId.value())
                .resolve("objects")
                .resolve(key.value());
    }

    @Test
    void objects_live_under_the_tenants_directory_and_no_temporary_file_remains() throws IOException {
        put(ACME, RAW_PDF, read(PDF));

        assertThat(Files.isRegularFile(file(ACME, RAW_PDF))).isTrue();
        assertThat(store.namespaceName(ACME)).isEqualTo("tenants/acme-corp");
        try (Stream<Path> tmp = Files.list(root.resolve("tenants/acme-corp/tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void a_symbolic_link_into_another_tenants_directory_is_never_followed() throws IOException {
        put(GLOBEX, NORMALIZED, read(MARKDOWN));
        Path link = root.resolve("tenants/acme-corp/objects/normalized");
        Files.createSymbolicLink(link, root.resolve("tenants/globex/objects/normalized"));

        assertCode(() -> store.get(ACME, NORMALIZED), ErrorCode.INTERNAL_ERROR);
        assertCode(() -> put(ACME, NORMALIZED, read(MARKDOWN)), ErrorCode.INTERNAL_ERROR);
        assertCode(() -> store.delete(ACME, NORMALIZED), ErrorCode.INTERNAL_ERROR);
        assertThat(store.list(ACME, "")).isEmpty();
        assertThat(get(GLOBEX, NORMALIZED)).isEqualTo(read(MARKDOWN));
        Files.delete(link);
    }

    @Test
    void the_platform_namespace_lies_outside_every_tenants() {
        store.createNamespace(TenantId.PLATFORM);

        assertThat(store.namespaceName(TenantId.PLATFORM)).isEqualTo("platform");
        assertThat(Files.isDirectory(root.resolve("platform/objects"))).isTrue();
        store.deleteNamespace(TenantId.PLATFORM);
        assertThat(Files.exists(root.resolve("platform"))).isFalse();
    }
}
