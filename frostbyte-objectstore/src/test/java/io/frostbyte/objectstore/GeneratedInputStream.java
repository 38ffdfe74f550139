package io.frostbyte.objectstore;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** A deterministic pseudo-random stream of {@code size} bytes that hashes what it served; never held in memory. */
final class GeneratedInputStream extends InputStream {
    private final SplittableRandom random;
    private final MessageDigest digest = ObjectStoreContract.sha256();
    private long remaining;
    private String sha256Hex;

    GeneratedInputStream(long size, long seed) {
        this.remaining = size;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) random.nextInt(256);
        }
        digest.update(b, off, n);
        remaining -= n;
        return n;
    }

    /** The SHA-256 of everything served; call once the stream is exhausted. */
    String sha256Hex() {
        if (remaining != 0) {
            throw new IllegalStateException(remaining + " bytes not yet read");
        }
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(digest.digest());
        }
        return sha256Hex;
    }
}
