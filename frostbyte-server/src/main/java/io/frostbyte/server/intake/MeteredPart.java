package io.frostbyte.server.intake;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.intake.MimeSniffer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * A file part as it streams to storage (spec/01 INT-2): counts bytes and keeps the first {@value
 * MimeSniffer#WINDOW_BYTES} for the sniffer (the store hashes the same bytes as it encrypts them). Reading byte {@code maxBytes + 1} throws {@code
 * PAYLOAD_TOO_LARGE}: the rest of the upload is never read (§1.3 step 1). Not thread-safe; one per part.
 */
final class MeteredPart extends FilterInputStream {
    private final long maxBytes;
    private final String field;
    private final byte[] window = new byte[MimeSniffer.WINDOW_BYTES];
    private int windowLength;
    private long count;

    /**
     * @param field the manifest field named by a size error, e.g. {@code files[3].size_bytes}
     */
    MeteredPart(InputStream in, long maxBytes, String field) {
        super(in);
        this.maxBytes = maxBytes;
        this.field = field;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // never ask for more than one byte past the limit, so the cut-off reads nothing beyond it
        long allowed = maxBytes + 1 - count;
        int n = in.read(b, off, (int) Math.min(len, Math.max(1, allowed)));
        if (n <= 0) {
            return n;
        }
        count += n;
        if (count > maxBytes) {
            throw new FrostbyteException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "A file is larger than this tenant's max_file_size_mb; the upload was cut off.",
                    List.of(new FrostbyteException.ErrorDetail(field, null, "at most " + maxBytes + " bytes")));
        }
        if (windowLength < window.length) {
            int copy = Math.min(n, window.length - windowLength);
            System.arraycopy(b, off, window, windowLength, copy);
            windowLength += copy;
        }
        return n;
    }

    @Override
    public long skip(long n) {
        return 0; // every byte must reach the store, which hashes it
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }

    byte[] window() {
        return Arrays.copyOf(window, windowLength);
    }
}
