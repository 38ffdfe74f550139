package io.frostbyte.crypto;

import static io.frostbyte.crypto.TenantKeyringTest.assertCode;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.InMemoryTenantKeysetStore;
import io.frostbyte.core.keys.KeyVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final TenantId GLOBEX = TenantId.of("globex");
    private static final String RAW_KEY =
            "raw/invoice-0001.pdf/9f2c44d1e0b7a3c5d6e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d";
    private static final Path PDF = Path.of("../../shared/corpus/docling-testdata/pdf/sources/redp5110_sampled.pdf");
    /** Tink AES256_GCM_HKDF_1MB: 1 MiB ciphertext segments; the first also holds the 40-byte stream header. */
    private static final int FIRST_SEGMENT_PLAINTEXT = (1 << 20) - 40 - 16;

    private final InMemoryTenantKeysetStore store = new InMemoryTenantKeysetStore();
    private final TestMasterKey master = new TestMasterKey();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final TenantKeyring keyring = new TenantKeyring(store, master, clock);
    private final EnvelopeCipher cipher = new EnvelopeCipher(keyring);
    private byte[] pdf;

    @BeforeEach
    void createKeysets() throws IOException {
        keyring.create(ACME);
        keyring.create(GLOBEX);
        pdf = Files.readAllBytes(PDF);
    }

    @Test
    void round_trips_a_real_document_spanning_two_segments() {
        assertThat(pdf.length).isGreaterThan(FIRST_SEGMENT_PLAINTEXT);

        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);

        assertThat(cipher.decrypt(ACME, RAW_KEY, ciphertext)).isEqualTo(pdf);
        assertThat(indexOf(ciphertext, Arrays.copyOfRange(pdf, 0, 32))).isEqualTo(-1);
    }

    @Test
    void round_trips_an_empty_object() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, new byte[0]);

        assertThat(cipher.decrypt(ACME, RAW_KEY, ciphertext)).isEmpty();
    }

    @Test
    void round_trips_through_the_streams_and_closing_them_closes_sink_and_source() throws IOException {
        CloseTrackingOutputStream sink = new CloseTrackingOutputStream();
        try (OutputStream encrypting = cipher.encryptingStream(ACME, RAW_KEY, sink)) {
            for (int offset = 0; offset < pdf.length; offset += 8191) {
                encrypting.write(pdf, offset, Math.min(8191, pdf.length - offset));
            }
        }
        assertThat(sink.closed).isTrue();

        CloseTrackingInputStream source = new CloseTrackingInputStream(sink.toByteArray());
        byte[] plaintext;
        try (InputStream decrypting = cipher.decryptingStream(ACME, RAW_KEY, source)) {
            plaintext = decrypting.readAllBytes();
        }
        assertThat(source.closed).isTrue();
        assertThat(plaintext).isEqualTo(pdf);
    }

    @Test
    void two_encryptions_of_the_same_plaintext_differ_in_data_key_and_body() {
        byte[] first = cipher.encrypt(ACME, RAW_KEY, pdf);
        byte[] second = cipher.encrypt(ACME, RAW_KEY, pdf);

        // the wrapped data key is a serialized keyset whose length may differ by a byte, so each header is read alone
        int firstHeader = EnvelopeCipher.readHeader(first).length();
        int secondHeader = EnvelopeCipher.readHeader(second).length();
        assertThat(Arrays.copyOfRange(first, 15, firstHeader))
                .isNotEqualTo(Arrays.copyOfRange(second, 15, secondHeader));
        assertThat(Arrays.copyOfRange(first, firstHeader, firstHeader + 4096))
                .isNotEqualTo(Arrays.copyOfRange(second, secondHeader, secondHeader + 4096));
        assertThat(cipher.decrypt(ACME, RAW_KEY, first)).isEqualTo(cipher.decrypt(ACME, RAW_KEY, second));
    }

    @Test
    void the_header_names_the_primary_kek_version_and_key_id() {
        KeyVersion primary = keyring.versions(ACME).get(0);

        EnvelopeHeader header = EnvelopeCipher.readHeader(cipher.encrypt(ACME, RAW_KEY, pdf));

        assertThat(header.formatVersion()).isEqualTo(1);
        assertThat(header.kekVersion()).isEqualTo(1);
        assertThat(header.kekKeyId()).isEqualTo(primary.keyId());
        assertThat(header.length()).isBetween(16, 400);
    }

    @Test
    void decrypting_with_another_tenants_key_fails_with_decryption_failed() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);

        assertCode(() -> cipher.decrypt(GLOBEX, RAW_KEY, ciphertext), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void decrypting_under_another_context_fails_with_decryption_failed() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);

        assertCode(() -> cipher.decrypt(ACME, RAW_KEY + "x", ciphertext), ErrorCode.DECRYPTION_FAILED);
        assertCode(
                () -> cipher.decrypt(ACME, "quarantine/invoice-0001.pdf/9f2c", ciphertext),
                ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void another_objects_header_does_not_open_this_body() {
        byte[] first = cipher.encrypt(ACME, RAW_KEY, pdf);
        byte[] second = cipher.encrypt(ACME, RAW_KEY, pdf);
        int headerLength = EnvelopeCipher.readHeader(first).length();
        byte[] spliced = first.clone();
        System.arraycopy(second, 0, spliced, 0, headerLength);

        assertCode(() -> cipher.decrypt(ACME, RAW_KEY, spliced), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void flipping_any_bit_of_the_header_fails_with_decryption_failed() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, "short text".getBytes(UTF_8));
        int headerLength = EnvelopeCipher.readHeader(ciphertext).length();

        for (int i = 0; i < headerLength; i++) {
            for (int bit : new int[] {0, 7}) {
                byte[] tampered = ciphertext.clone();
                tampered[i] ^= (byte) (1 << bit);
                assertCode(() -> cipher.decrypt(ACME, RAW_KEY, tampered), ErrorCode.DECRYPTION_FAILED);
            }
        }
    }

    @Test
    void flipping_a_byte_of_the_body_fails_with_decryption_failed() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);
        int headerLength = EnvelopeCipher.readHeader(ciphertext).length();

        for (int position : new int[] {
            headerLength,
            headerLength + 1,
            headerLength + 39,
            headerLength + 40,
            headerLength + 5000,
            headerLength + (1 << 20) - 1,
            headerLength + (1 << 20),
            ciphertext.length - 17,
            ciphertext.length - 1
        }) {
            byte[] tampered = ciphertext.clone();
            tampered[position] ^= 0x01;
            assertCode(() -> cipher.decrypt(ACME, RAW_KEY, tampered), ErrorCode.DECRYPTION_FAILED);
        }
    }

    @Test
    void a_stream_yields_only_authenticated_segments_before_failing_at_a_tampered_one() throws IOException {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);
        int headerLength = EnvelopeCipher.readHeader(ciphertext).length();
        byte[] tampered = ciphertext.clone();
        tampered[headerLength + (1 << 20) + 100] ^= 0x01;
        ByteArrayOutputStream delivered = new ByteArrayOutputStream();

        try (InputStream in = cipher.decryptingStream(ACME, RAW_KEY, new ByteArrayInputStream(tampered))) {
            byte[] buffer = new byte[4096];
            assertThatThrownBy(() -> {
                        for (int n; (n = in.read(buffer)) != -1; ) {
                            delivered.write(buffer, 0, n);
                        }
                    })
                    .isInstanceOfSatisfying(
                            FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DECRYPTION_FAILED));
            assertCode(in::read, ErrorCode.DECRYPTION_FAILED);
        }
        // a read that straddles the bad segment fails whole, so what was delivered is a prefix of the first segment
        assertThat(delivered.size()).isBetween(FIRST_SEGMENT_PLAINTEXT - 4096, FIRST_SEGMENT_PLAINTEXT);
        assertThat(delivered.toByteArray()).isEqualTo(Arrays.copyOf(pdf, delivered.size()));
    }

    @Test
    void a_truncated_object_fails_with_decryption_failed() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);
        int headerLength = EnvelopeCipher.readHeader(ciphertext).length();

        for (int length : new int[] {
            0,
            3,
            14,
            headerLength - 1,
            headerLength,
            headerLength + 40,
            headerLength + (1 << 20),
            ciphertext.length - 16,
            ciphertext.length - 1
        }) {
            byte[] truncated = Arrays.copyOf(ciphertext, length);
            assertCode(() -> cipher.decrypt(ACME, RAW_KEY, truncated), ErrorCode.DECRYPTION_FAILED);
        }
    }

    @Test
    void bytes_appended_to_an_object_fail_with_decryption_failed() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, "short text".getBytes(UTF_8));
        byte[] extended = Arrays.copyOf(ciphertext, ciphertext.length + 1);

        assertCode(() -> cipher.decrypt(ACME, RAW_KEY, extended), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void bytes_that_are_no_envelope_fail_with_decryption_failed() {
        assertCode(() -> cipher.decrypt(ACME, RAW_KEY, pdf), ErrorCode.DECRYPTION_FAILED);
        assertCode(() -> EnvelopeCipher.readHeader(pdf), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void after_a_rotation_old_objects_still_decrypt_and_new_objects_use_the_new_version() {
        byte[] before = cipher.encrypt(ACME, RAW_KEY, pdf);

        KeyVersion second = keyring.rotate(ACME);
        byte[] after = cipher.encrypt(ACME, RAW_KEY, pdf);

        assertThat(EnvelopeCipher.readHeader(before).kekVersion()).isEqualTo(1);
        assertThat(EnvelopeCipher.readHeader(after).kekVersion()).isEqualTo(2);
        assertThat(EnvelopeCipher.readHeader(after).kekKeyId()).isEqualTo(second.keyId());
        assertThat(cipher.decrypt(ACME, RAW_KEY, before)).isEqualTo(pdf);
        assertThat(cipher.decrypt(ACME, RAW_KEY, after)).isEqualTo(pdf);
    }

    @Test
    void rewrap_moves_an_object_to_the_new_version_and_it_decrypts_after_the_old_version_is_destroyed()
            throws IOException {
        byte[] original = cipher.encrypt(ACME, RAW_KEY, pdf);
        byte[] leftBehind = cipher.encrypt(ACME, RAW_KEY, pdf);
        KeyVersion second = keyring.rotate(ACME);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnvelopeHeader header = cipher.rewrap(ACME, RAW_KEY, new ByteArrayInputStream(original), out);
        byte[] rewrapped = out.toByteArray();
        keyring.retireVersion(ACME, 1);
        keyring.destroyVersion(ACME, 1);

        assertThat(header.kekVersion()).isEqualTo(2);
        assertThat(header.kekKeyId()).isEqualTo(second.keyId());
        assertThat(EnvelopeCipher.readHeader(rewrapped)).isEqualTo(header);
        int oldHeaderLength = EnvelopeCipher.readHeader(original).length();
        assertThat(Arrays.copyOfRange(rewrapped, header.length(), rewrapped.length))
                .isEqualTo(Arrays.copyOfRange(original, oldHeaderLength, original.length));
        assertThat(cipher.decrypt(ACME, RAW_KEY, rewrapped)).isEqualTo(pdf);
        assertCode(() -> cipher.decrypt(ACME, RAW_KEY, leftBehind), ErrorCode.KEYS_DESTROYED);
        assertCode(() -> cipher.decrypt(ACME, RAW_KEY, original), ErrorCode.KEYS_DESTROYED);
    }

    @Test
    void rewrap_to_another_context_moves_the_object_without_re_encrypting_its_body() throws IOException {
        String staging = "staging/019cae0b-db8e-73fc-83d8-4789f75d0a98/1";
        byte[] staged = cipher.encrypt(ACME, staging, pdf);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EnvelopeHeader header = cipher.rewrap(ACME, staging, RAW_KEY, new ByteArrayInputStream(staged), out);
        byte[] moved = out.toByteArray();

        assertThat(Arrays.copyOfRange(moved, header.length(), moved.length))
                .isEqualTo(Arrays.copyOfRange(
                        staged, EnvelopeCipher.readHeader(staged).length(), staged.length));
        assertThat(cipher.decrypt(ACME, RAW_KEY, moved)).isEqualTo(pdf);
        assertCode(() -> cipher.decrypt(ACME, staging, moved), ErrorCode.DECRYPTION_FAILED);
    }

    @Test
    void rewrap_under_the_wrong_context_or_tenant_fails_with_decryption_failed_and_writes_nothing() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertCode(
                () -> cipher.rewrap(ACME, "raw/other", new ByteArrayInputStream(ciphertext), out),
                ErrorCode.DECRYPTION_FAILED);
        assertCode(
                () -> cipher.rewrap(GLOBEX, RAW_KEY, new ByteArrayInputStream(ciphertext), out),
                ErrorCode.DECRYPTION_FAILED);
        assertThat(out.size()).isZero();
    }

    @Test
    void after_a_shred_every_operation_fails_with_keys_destroyed() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);

        keyring.shred(ACME);

        assertCode(() -> cipher.decrypt(ACME, RAW_KEY, ciphertext), ErrorCode.KEYS_DESTROYED);
        assertCode(() -> cipher.decrypt(ACME, RAW_KEY, new byte[] {1, 2, 3}), ErrorCode.KEYS_DESTROYED);
        assertCode(
                () -> cipher.decryptingStream(ACME, RAW_KEY, new ByteArrayInputStream(ciphertext)),
                ErrorCode.KEYS_DESTROYED);
        assertCode(() -> cipher.encrypt(ACME, RAW_KEY, pdf), ErrorCode.KEYS_DESTROYED);
        assertCode(
                () -> cipher.rewrap(ACME, RAW_KEY, new ByteArrayInputStream(ciphertext), new ByteArrayOutputStream()),
                ErrorCode.KEYS_DESTROYED);
    }

    @Test
    void a_tenant_without_a_keyset_fails_with_resource_not_found() {
        TenantId initech = TenantId.of("initech");
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);

        assertCode(() -> cipher.encrypt(initech, RAW_KEY, pdf), ErrorCode.RESOURCE_NOT_FOUND);
        assertCode(() -> cipher.decrypt(initech, RAW_KEY, ciphertext), ErrorCode.RESOURCE_NOT_FOUND);
    }

    @Test
    void an_object_encrypted_on_another_node_after_a_rotation_decrypts_here_at_once() {
        TenantKeyring otherNode = new TenantKeyring(store, master, clock);
        EnvelopeCipher otherCipher = new EnvelopeCipher(otherNode);
        cipher.encrypt(ACME, RAW_KEY, pdf);

        otherNode.rotate(ACME);
        byte[] underNewVersion = otherCipher.encrypt(ACME, RAW_KEY, pdf);

        assertThat(EnvelopeCipher.readHeader(underNewVersion).kekVersion()).isEqualTo(2);
        assertThat(cipher.decrypt(ACME, RAW_KEY, underNewVersion)).isEqualTo(pdf);
    }

    @Test
    void a_failing_source_surfaces_its_own_io_exception_not_decryption_failed() throws IOException {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);
        IOException disk = new IOException("disk gone");
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(ciphertext)) {
            private int served;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served > 200_000) {
                    throw disk;
                }
                int n = super.read(b, off, Math.min(len, 8192));
                served += Math.max(n, 0);
                return n;
            }
        };

        try (InputStream in = cipher.decryptingStream(ACME, RAW_KEY, failing)) {
            assertThatThrownBy(in::readAllBytes).isSameAs(disk);
        }
    }

    @Test
    void an_empty_or_oversized_context_is_refused() {
        assertThatThrownBy(() -> cipher.encrypt(ACME, "", pdf)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.encrypt(ACME, "k".repeat(4097), pdf))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cipher.decrypt(ACME, "k".repeat(4096), cipher.encrypt(ACME, "k".repeat(4096), pdf)))
                .isEqualTo(pdf);
    }

    @Test
    void a_cached_kek_does_not_hide_a_destroyed_version_on_this_node() {
        byte[] ciphertext = cipher.encrypt(ACME, RAW_KEY, pdf);
        keyring.rotate(ACME);
        clock.advance(Duration.ofSeconds(1));
        keyring.retireVersion(ACME, 1);
        keyring.destroyVersion(ACME, 1);

        assertCode(() -> cipher.decrypt(ACME, RAW_KEY, ciphertext), ErrorCode.KEYS_DESTROYED);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
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

    private static final class CloseTrackingOutputStream extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class CloseTrackingInputStream extends ByteArrayInputStream {
        boolean closed;

        CloseTrackingInputStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
