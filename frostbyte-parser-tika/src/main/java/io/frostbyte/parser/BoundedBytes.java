package io.frostbyte.parser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a whole stream into memory, but never more than a cap. */
final class BoundedBytes {
    private BoundedBytes() {}

    /** @return the bytes, or null when the stream holds more than {@code maxBytes} */
    static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            total += read;
            if (total > maxBytes || total > Integer.MAX_VALUE - 16) {
                return null;
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }
}
