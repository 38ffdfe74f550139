package io.frostbyte.objectstore;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.InMemoryTenantKeysetStore;
import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.storage.ObjectUsage;
import io.frostbyte.core.storage.StoredObject;
import io.frostbyte.crypto.EnvelopeCipher;
import io.frostbyte.crypto.FileMasterKey;
import io.frostbyte.crypto.TenantKeyring;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ObjectStore} contract every adapter passes: extend it, build the adapter in {@link #createStore} and give
 * raw access to the stored bytes (bypassing encryption) for the ciphertext and isolation checks.
 */
public abstract class ObjectStoreContract {
    protected static final TenantId ACME = TenantId.of("acme-corp");
    protected static final TenantId GLOBEX = TenantId.of("globex");
    protected static final Path PDF = Path.of("../../shared/corpus/docling-testdata/pdf/sources/redp5110_sampled.pdf");
    protected static final Path MARKDOWN =
            Path.of("../../shared/corpus/docling-testdata/md/sources/inline_and_formatting.md");
    private static final String PDF_SHA256 = sha256Hex(read(PDF));
    protected static final ObjectKey RAW_PDF = ObjectKey.raw("f-0001", PDF_SHA256);
    protected static final ObjectKey NORMALIZED = ObjectKey.normalized("doc_a35d2ab2b1167f7efbec662e");

    @TempDir
    Path keyDirectory;

    protected TenantKeyring keyring;
    protected ObjectStore store;

    /** The adapter under test, on a fresh or emptied backend. */
    protected abstract ObjectStore createStore(EnvelopeCipher cipher) throws Exception;

    /** The bytes the backend holds for the object, read around the adapter. */
    protected abstract byte[] storedBytes(TenantId tenantId, ObjectKey key) throws Exception;

    /** Places raw bytes in the backend under the object's key, around the adapter (an attacker's copy). */
    protected abstract void plantStoredBytes(TenantId tenantId, ObjectKey key, byte[] bytes) throws Exception;

    @BeforeEach
    void createTenants() throws Exception {
        keyring = new TenantKeyring(
                new InMemoryTenantKeysetStore(),
                FileMasterKey.loadOrCreate(keyDirectory.resolve("master.key")),
                Clock.systemUTC(),
                Duration.ZERO);
        keyring.create(ACME);
        keyring.create(GLOBEX);
        store = createStore(new EnvelopeCipher(keyring));
        store.createNamespace(ACME);
        store.createNamespace(GLOBEX);
    }

    @AfterEach
    void deleteTenants() {
        store.deleteNamespace(ACME);
        store.deleteNamespace(GLOBEX);
    }

    @Test
    void round_trips_a_real_document_and_reports_its_plaintext_size_and_sha256() throws IOException {
        byte[] pdf = read(PDF);

        StoredObject stored = put(ACME, RAW_PDF, pdf);

        assertThat(stored).isEqualTo(new StoredObject(RAW_PDF, 1_277_938, PDF_SHA256));
        assertThat(get(ACME, RAW_PDF)).isEqualTo(pdf);
        assertThat(store.exists(ACME, RAW_PDF)).isTrue();
    }

    @Test
    void round_trips_an_empty_object() throws IOException {
        StoredObject stored = put(ACME, NORMALIZED, new byte[0]);

        assertThat(stored.sizeBytes()).isZero();
        assertThat(stored.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(get(ACME, NORMALIZED)).isEmpty();
    }

    @Test
    void the_stored_bytes_are_ciphertext_in_a_frostbyte_envelope() throws Exception {
        byte[] markdown = read(MARKDOWN);
        byte[] pdf = read(PDF);
        put(ACME, NORMALIZED, markdown);
        put(ACME, RAW_PDF, pdf);

        byte[] storedMarkdown = storedBytes(ACME, NORMALIZED);
        byte[] storedPdf = storedBytes(ACME, RAW_PDF);

        assertThat(Arrays.copyOf(storedMarkdown, 4)).isEqualTo("FBEN".getBytes(UTF_8));
        for (int offset = 0; offset + 24 <= markdown.length; offset += 24) {
            assertThat(indexOf(storedMarkdown, Arrays.copyOfRange(markdown, offset, offset + 24)))
                    .as("plaintext window at %d", offset)
                    .isEqualTo(-1);
        }
        assertThat(indexOf(storedPdf, Arrays.copyOfRange(pdf, 0, 32))).isEqualTo(-1);
        assertThat(indexOf(storedPdf, Arrays.copyOfRange(pdf, 700_000, 700_032)))
                .isEqualTo(-1);
        assertThat(storedPdf.length).isGreaterThan(pdf.length);
    }

    @Test
    void another_tenant_can_neither_read_nor_see_nor_delete_the_object() throws IOException {
        put(ACME, RAW_PDF, read(PDF));

        assertCode(() -> store.get(GLOBEX, RAW_PDF), ErrorCode.RESOURCE_NOT_FOUND);
        assertThat(store.exists(GLOBEX, RAW_PDF)).isFalse();
        assertThat(store.list(GLOBEX, "")).isEmpty();
        store.delete(GLOBEX, RAW_PDF);

        assertThat(store.list(ACME, "")).containsExactly(RAW_PDF);
        assertThat(get(ACME, RAW_PDF)).isEqualTo(read(PDF));
    }

    @Test
    void an_object_copied_into_another_tenants_namespace_fails_to_decrypt() throws Exception {
        put(ACME, NORMALIZED, read(MARKDOWN));
        plantStoredBytes(GLOBEX, NORMALIZED, storedBytes(ACME, NORMALIZED));

        assertThat(store.list(GLOBEX, "")).containsExactly(NORMALIZED);
        assertCode(() -> store.get(GLOBEX, NORMALIZED), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void an_object_copied_to_another_key_of_the_same_tenant_fails_to_decrypt() throws Exception {
        ObjectKey other = ObjectKey.redactions("doc_a35d2ab2b1167f7efbec662e");
        put(ACME, NORMALIZED, read(MARKDOWN));
        plantStoredBytes(ACME, other, storedBytes(ACME, NORMALIZED));

        assertCode(() -> store.get(ACME, other), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void a_copy_reads_back_as_its_source_under_the_new_key_and_leaves_the_source() throws IOException {
        ObjectKey staging = ObjectKey.staging("b-0001", 0);
        byte[] pdf = read(PDF);
        put(ACME, staging, pdf);

        store.copy(ACME, staging, RAW_PDF);

        assertThat(get(ACME, RAW_PDF)).isEqualTo(pdf);
        assertThat(get(ACME, staging)).isEqualTo(pdf);
        assertThat(store.list(ACME, "")).containsExactly(RAW_PDF, staging);
    }

    @Test
    void a_copy_replaces_an_existing_object_whole() throws IOException {
        ObjectKey staging = ObjectKey.staging("b-0001", 0);
        put(ACME, RAW_PDF, read(MARKDOWN));
        put(ACME, staging, read(PDF));

        store.copy(ACME, staging, RAW_PDF);

        assertThat(get(ACME, RAW_PDF)).isEqualTo(read(PDF));
    }

    @Test
    void copying_a_missing_or_misplaced_object_fails_and_writes_nothing() throws Exception {
        ObjectKey staging = ObjectKey.staging("b-0001", 0);
        assertCode(() -> store.copy(ACME, staging, RAW_PDF), ErrorCode.RESOURCE_NOT_FOUND);

        put(ACME, NORMALIZED, read(MARKDOWN));
        plantStoredBytes(ACME, staging, storedBytes(ACME, NORMALIZED));
        assertCode(() -> store.copy(ACME, staging, RAW_PDF), ErrorCode.DECRYPTION_FAILED);

        plantStoredBytes(GLOBEX, staging, storedBytes(ACME, NORMALIZED));
        assertCode(() -> store.copy(GLOBEX, staging, RAW_PDF), ErrorCode.DECRYPTION_FAILED);

        assertThat(store.exists(ACME, RAW_PDF)).isFalse();
        assertThat(store.exists(GLOBEX, RAW_PDF)).isFalse();
    }

    @Test
    void a_copy_of_a_tampered_object_fails_when_it_is_read() throws Exception {
        ObjectKey staging = ObjectKey.staging("b-0001", 0);
        put(ACME, staging, read(MARKDOWN));
        byte[] stored = storedBytes(ACME, staging);
        stored[stored.length - 20] ^= 1;
        plantStoredBytes(ACME, staging, stored);

        Throwable copying = org.assertj.core.api.Assertions.catchThrowable(() -> store.copy(ACME, staging, RAW_PDF));

        if (copying == null) { // an adapter that copies the ciphertext: the copy's body fails when read
            assertCode(() -> get(ACME, RAW_PDF), ErrorCode.DECRYPTION_FAILED);
        } else { // an adapter that decrypts to copy fails at once and writes nothing
            assertCode(
                    () -> {
                        throw copying;
                    },
                    ErrorCode.DECRYPTION_FAILED);
            assertThat(store.exists(ACME, RAW_PDF)).isFalse();
        }
    }

    @Test
    void a_tampered_object_fails_to_decrypt_instead_of_returning_altered_bytes() throws Exception {
        put(ACME, NORMALIZED, read(MARKDOWN));
        byte[] stored = storedBytes(ACME, NORMALIZED);
        stored[stored.length - 20] ^= 1;
        plantStoredBytes(ACME, NORMALIZED, stored);

        assertCode(() -> get(ACME, NORMALIZED), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void a_tenant_without_a_namespace_is_refused_and_no_namespace_appears() {
        TenantId initech = TenantId.of("initech");
        keyring.create(initech);

        assertThat(store.namespaceExists(initech)).isFalse();
        assertCode(() -> put(initech, NORMALIZED, read(MARKDOWN)), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> store.get(initech, NORMALIZED), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> store.exists(initech, NORMALIZED), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> store.list(initech, ""), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> store.usage(initech), ErrorCode.RESOURCE_NOT_FOUND);
        assertThat(store.namespaceExists(initech)).isFalse();
    }

    @Test
    void a_missing_object_is_not_found() {
        assertCode(() -> store.get(ACME, RAW_PDF), ErrorCode.RESOURCE_NOT_FOUND);
        assertThat(store.exists(ACME, RAW_PDF)).isFalse();
    }

    @Test
    void listing_prefixes_with_path_tricks_are_refused() {
        for (String prefix : List.of("../globex/", "/raw", "raw/../", "raw\\", "raw/\u0000")) {
            assertCode(() -> store.list(ACME, prefix), ErrorCode.VALIDATION_ERROR);
        }
        assertCode(() -> ObjectKey.of("raw/../../globex/objects/x"), ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void a_second_put_replaces_the_object_whole() throws IOException {
        put(ACME, NORMALIZED, read(PDF));
        byte[] markdown = read(MARKDOWN);

        StoredObject second = put(ACME, NORMALIZED, markdown);

        assertThat(second.sha256()).isEqualTo(sha256Hex(markdown));
        assertThat(get(ACME, NORMALIZED)).isEqualTo(markdown);
        assertThat(store.list(ACME, "")).containsExactly(NORMALIZED);
    }

    @Test
    void a_put_whose_content_fails_midway_keeps_the_previous_object() throws IOException {
        byte[] markdown = read(MARKDOWN);
        put(ACME, NORMALIZED, markdown);
        InputStream failing = new FailingInputStream(read(PDF), 1_000_000);

        assertThatThrownBy(() -> store.put(ACME, NORMALIZED, failing, -1)).isInstanceOf(UncheckedIOException.class);

        assertThat(get(ACME, NORMALIZED)).isEqualTo(markdown);
        assertThat(store.list(ACME, "")).containsExactly(NORMALIZED);
    }

    @Test
    void delete_removes_the_object_and_repeating_it_succeeds() throws IOException {
        put(ACME, RAW_PDF, read(PDF));
        put(ACME, NORMALIZED, read(MARKDOWN));

        store.delete(ACME, RAW_PDF);
        store.delete(ACME, RAW_PDF);

        assertThat(store.exists(ACME, RAW_PDF)).isFalse();
        assertThat(store.exists(ACME, NORMALIZED)).isTrue();
        assertThat(store.list(ACME, "")).containsExactly(NORMALIZED);
        assertCode(() -> store.get(ACME, RAW_PDF), ErrorCode.RESOURCE_NOT_FOUND);
    }

    @Test
    void list_returns_the_keys_under_a_prefix_in_ascending_order() throws IOException {
        byte[] markdown = read(MARKDOWN);
        List<ObjectKey> keys = List.of(
                ObjectKey.staging("batch-7", 10),
                ObjectKey.staging("batch-7", 2),
                ObjectKey.staging("batch-8", 1),
                ObjectKey.export("exp-1"),
                NORMALIZED);
        for (ObjectKey key : keys) {
            put(ACME, key, markdown);
        }

        assertThat(store.list(ACME, "staging/batch-7/"))
                .containsExactly(ObjectKey.staging("batch-7", 10), ObjectKey.staging("batch-7", 2));
        assertThat(store.list(ACME, "staging/"))
                .containsExactly(
                        ObjectKey.staging("batch-7", 10),
                        ObjectKey.staging("batch-7", 2),
                        ObjectKey.staging("batch-8", 1));
        assertThat(store.list(ACME, "")).hasSize(5).isSorted();
        assertThat(store.list(ACME, "raw/")).isEmpty();
    }

    @Test
    void usage_counts_the_stored_ciphertext_bytes_and_objects_of_that_tenant_only() throws Exception {
        assertThat(store.usage(ACME)).isEqualTo(ObjectUsage.EMPTY);
        byte[] pdf = read(PDF);
        put(ACME, RAW_PDF, pdf);
        put(ACME, NORMALIZED, read(MARKDOWN));
        put(GLOBEX, NORMALIZED, new byte[0]);

        long stored = storedBytes(ACME, RAW_PDF).length + storedBytes(ACME, NORMALIZED).length;
        assertThat(store.usage(ACME)).isEqualTo(new ObjectUsage(stored, 2));
        assertThat(stored).isGreaterThan(pdf.length);
        assertThat(store.usage(GLOBEX).objects()).isEqualTo(1);

        store.delete(ACME, RAW_PDF);
        assertThat(store.usage(ACME)).isEqualTo(new ObjectUsage(storedBytes(ACME, NORMALIZED).length, 1));
    }

    @Test
    void an_objects_modification_time_is_when_it_was_written_and_a_missing_one_is_not_found() throws IOException {
        java.time.Instant before = java.time.Instant.now().minusSeconds(5);
        put(ACME, NORMALIZED, read(MARKDOWN));

        assertThat(store.modifiedAt(ACME, NORMALIZED))
                .isBetween(before, java.time.Instant.now().plusSeconds(5));
        assertCode(() -> store.modifiedAt(ACME, RAW_PDF), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> store.modifiedAt(GLOBEX, NORMALIZED), ErrorCode.RESOURCE_NOT_FOUND);
    }

    @Test
    void deleting_a_namespace_removes_every_object_and_only_that_tenants() throws IOException {
        put(ACME, RAW_PDF, read(PDF));
        put(ACME, NORMALIZED, read(MARKDOWN));
        put(GLOBEX, NORMALIZED, read(MARKDOWN));

        store.deleteNamespace(ACME);
        store.deleteNamespace(ACME);

        assertThat(store.namespaceExists(ACME)).isFalse();
        assertThat(get(GLOBEX, NORMALIZED)).isEqualTo(read(MARKDOWN));
        store.createNamespace(ACME);
        assertThat(store.list(ACME, "")).isEmpty();
    }

    @Test
    void creating_an_existing_namespace_keeps_its_objects() throws IOException {
        put(ACME, NORMALIZED, read(MARKDOWN));

        store.createNamespace(ACME);

        assertThat(store.namespaceExists(ACME)).isTrue();
        assertThat(get(ACME, NORMALIZED)).isEqualTo(read(MARKDOWN));
    }

    @Test
    void streams_a_64_mib_object_of_unknown_length_through_put_and_get() throws IOException {
        long size = 64L * 1024 * 1024 + 12_345;
        ObjectKey key = ObjectKey.raw("big-0001", "0".repeat(64));
        GeneratedInputStream source = new GeneratedInputStream(size, 42);

        StoredObject stored = store.put(ACME, key, source, -1);

        assertThat(stored.sizeBytes()).isEqualTo(size);
        assertThat(stored.sha256()).isEqualTo(source.sha256Hex());
        MessageDigest digest = sha256();
        long read = 0;
        try (InputStream in = store.get(ACME, key)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                read += n;
            }
        }
        assertThat(read).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(source.sha256Hex());
    }

    @Test
    void streams_a_12_mib_object_of_known_length() throws IOException {
        long size = 12L * 1024 * 1024 + 1;
        ObjectKey key = ObjectKey.export("exp-2026");
        GeneratedInputStream source = new GeneratedInputStream(size, 7);

        StoredObject stored = store.put(ACME, key, source, size);

        assertThat(stored.sizeBytes()).isEqualTo(size);
        try (InputStream in = store.get(ACME, key)) {
            assertThat(sha256Hex(in.readAllBytes())).isEqualTo(source.sha256Hex());
        }
    }

    @Test
    void a_crypto_shredded_tenant_can_no_longer_read_or_write_its_objects() throws IOException {
        put(ACME, RAW_PDF, read(PDF));

        keyring.shred(ACME);

        assertCode(() -> store.get(ACME, RAW_PDF), ErrorCode.KEYS_DESTROYED);
        assertCode(() -> put(ACME, NORMALIZED, read(MARKDOWN)), ErrorCode.KEYS_DESTROYED);
        assertCode(() -> store.copy(ACME, RAW_PDF, NORMALIZED), ErrorCode.KEYS_DESTROYED);
        assertThat(store.list(ACME, "")).containsExactly(RAW_PDF);
        put(GLOBEX, NORMALIZED, read(MARKDOWN));
        assertThat(get(GLOBEX, NORMALIZED)).isEqualTo(read(MARKDOWN));
    }

    @Test
    void the_provisioning_step_creates_probes_and_removes_the_namespace() throws Exception {
        TenantId initech = TenantId.of("initech");
        keyring.create(initech);
        ObjectNamespaceStep step = new ObjectNamespaceStep(store);

        assertThat(step.name()).isEqualTo("object_namespace");
        assertThatThrownBy(() -> step.verify(initech)).isInstanceOf(FrostbyteException.class);
        assertThat(step.provision(initech))
                .isEqualTo(java.util.Map.of("object_namespace", store.namespaceName(initech)));
        step.provision(initech);
        step.verify(initech);
        assertThat(store.list(initech, "")).isEmpty();
        assertThatThrownBy(() -> step.verifyGone(initech)).isInstanceOf(FrostbyteException.class);

        put(initech, NORMALIZED, read(MARKDOWN));
        step.deprovision(initech);
        step.deprovision(initech);
        step.verifyGone(initech);
        step.rollback(initech);
        assertThat(store.namespaceExists(initech)).isFalse();
    }

    @Test
    void the_provisioning_probe_fails_for_a_shredded_tenant() {
        ObjectNamespaceStep step = new ObjectNamespaceStep(store);
        keyring.shred(GLOBEX);

        assertCode(() -> step.verify(GLOBEX), ErrorCode.KEYS_DESTROYED);
    }

    protected StoredObject put(TenantId tenantId, ObjectKey key, byte[] content) {
        return store.put(tenantId, key, new ByteArrayInputStream(content), content.length);
    }

    protected byte[] get(TenantId tenantId, ObjectKey key) throws IOException {
        try (InputStream in = store.get(tenantId, key)) {
            return in.readAllBytes();
        }
    }

    protected static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        FrostbyteException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }

    protected static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Serves the bytes up to {@code failAt}, then throws, as a dropped upload would. */
    private static final class FailingInputStream extends InputStream {
        private final ByteArrayInputStream bytes;
        private int remaining;

        FailingInputStream(byte[] bytes, int failAt) {
            this.bytes = new ByteArrayInputStream(bytes);
            this.remaining = failAt;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                throw new IOException("client connection reset");
            }
            int n = bytes.read(b, off, Math.min(len, remaining));
            remaining -= Math.max(n, 0);
            return n;
        }
    }
}
