package io.frostbyte.crypto;

import java.io.InputStream;

/** {@code length} pseudo-random bytes from a seed (xorshift64*), generated as they are read; never held in memory. */
final class GeneratedInputStream extends InputStream {
    private final long length;
    private long position;
    private long state;

    GeneratedInputStream(long length, long seed) {
        this.length = length;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            if (((position + i) & 7) == 0) {
                state ^= state >>> 12;
                state ^= state << 25;
                state ^= state >>> 27;
            }
            b[off + i] = (byte) ((state * 0x2545F4914F6CDD1DL) >>> (((position + i) & 7) * 8));
        }
        position += n;
        return n;
    }
}
