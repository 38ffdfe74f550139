package io.frostbyte.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.keys.InMemoryTenantKeysetStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EnvelopeCipherStreamingTest {
    private static final TenantId ACME = TenantId.of("acme-corp");
    private static final String CONTEXT = "raw/big-scan.tiff/0f0e0d0c0b0a09080706050403020100";
    private static final long SIZE = 256L * 1024 * 1024 + 12_345;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void streams_more_than_256_mib_through_encryption_and_decryption_without_holding_it() throws Exception {
        TenantKeyring keyring =
                new TenantKeyring(new InMemoryTenantKeysetStore(), new TestMasterKey(), Clock.systemUTC());
        keyring.create(ACME);
        EnvelopeCipher cipher = new EnvelopeCipher(keyring);
        MessageDigest inputDigest = MessageDigest.getInstance("SHA-256");
        PipedInputStream ciphertextIn = new PipedInputStream(1 << 20);
        PipedOutputStream ciphertextOut = new PipedOutputStream(ciphertextIn);

        try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
            Future<Long> producer = executor.submit(() -> {
                try (InputStream plaintext = new DigestInputStream(new GeneratedInputStream(SIZE, 42), inputDigest);
                        OutputStream encrypting = cipher.encryptingStream(ACME, CONTEXT, ciphertextOut)) {
                    return plaintext.transferTo(encrypting);
                }
            });

            MessageDigest outputDigest = MessageDigest.getInstance("SHA-256");
            CountingInputStream ciphertext = new CountingInputStream(ciphertextIn);
            long decrypted = 0;
            try (InputStream plaintext = cipher.decryptingStream(ACME, CONTEXT, ciphertext)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = plaintext.read(buffer)) != -1; ) {
                    outputDigest.update(buffer, 0, n);
                    decrypted += n;
                }
            }

            assertThat(producer.get()).isEqualTo(SIZE);
            assertThat(decrypted).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(outputDigest.digest()))
                    .isEqualTo(HexFormat.of().formatHex(inputDigest.digest()));
            // 257 segments of 1 MiB, each with a 16-byte tag, plus both headers
            assertThat(ciphertext.count - SIZE).isBetween(257L * 16 + 40, 257L * 16 + 40 + 400);
        }
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b == -1 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }
}
