package io.frostbyte.objectstore;

import io.frostbyte.core.storage.ObjectKey;
import io.frostbyte.core.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Copies the caller's plaintext into an encrypting stream, counting and hashing it on the way. */
final class PlaintextCopy {
    static final int BUFFER_BYTES = 64 * 1024;

    private PlaintextCopy() {}

    /**
     * @throws UncheckedIOException when reading {@code content} fails (the caller's fault)
     * @throws IOException when writing to {@code sink} fails (the store's fault)
     */
    static StoredObject copy(ObjectKey key, InputStream content, OutputStream sink) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        long size = 0;
        while (true) {
            int n;
            try {
                n = content.read(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the content of object " + key + " failed", e);
            }
            if (n < 0) {
                break;
            }
            sha256.update(buffer, 0, n);
            sink.write(buffer, 0, n);
            size += n;
        }
        return new StoredObject(key, size, HexFormat.of().formatHex(sha256.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
