package io.frostbyte.server.cli.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A batch request body (spec/01 §1.1): the {@code manifest} part, then one {@code files} part per entry in manifest
 * order. Streamed: every file is opened only when its part is reached, read in place and closed; nothing is held whole
 * in memory. The exact {@code Content-Length} is known beforehand, and each file part sends exactly the manifest's
 * byte count (a file that shrank fails the request; one that grew is cut at that count and then fails its checksum).
 */
public final class MultipartBody {
    private final String boundary = "frostbyte-" + UUID.randomUUID().toString().replace("-", "");
    private final List<Supplier<InputStream>> pieces = new ArrayList<>();
    private long length;

    /**
     * @param manifest the manifest part's bytes
     * @param files the files in manifest order
     */
    public MultipartBody(byte[] manifest, List<LocalFile> files) {
        bytes(head("manifest", null, "application/json"));
        pieces.add(() -> new ByteArrayInputStream(manifest));
        length += manifest.length;
        bytes("\r\n".getBytes(UTF_8));
        for (LocalFile file : files) {
            bytes(head("files", safeFilename(file.filename()), "application/octet-stream"));
            pieces.add(() -> open(file));
            length += file.sizeBytes();
            bytes("\r\n".getBytes(UTF_8));
        }
        bytes(("--" + boundary + "--\r\n").getBytes(UTF_8));
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public long length() {
        return length;
    }

    /** A publisher that builds the stream anew for each attempt, with the exact content length. */
    public HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(this::stream), length);
    }

    InputStream stream() {
        return new java.io.SequenceInputStream(new Enumeration<InputStream>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
                return next < pieces.size();
            }

            @Override
            public InputStream nextElement() {
                if (next >= pieces.size()) {
                    throw new NoSuchElementException();
                }
                return pieces.get(next++).get();
            }
        });
    }

    private void bytes(byte[] bytes) {
        pieces.add(() -> new ByteArrayInputStream(bytes));
        length += bytes.length;
    }

    private byte[] head(String name, String filename, String contentType) {
        StringBuilder head = new StringBuilder("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(name)
                .append('"');
        if (filename != null) {
            head.append("; filename=\"").append(filename).append('"');
        }
        head.append("\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
        return head.toString().getBytes(UTF_8);
    }

    // the part's filename is optional (spec/01 INT-1); it is left out when quoting could change it
    private static String safeFilename(String filename) {
        boolean plain = filename.codePoints()
                .noneMatch(cp -> cp == '"' || cp == '\\' || cp == ';' || Character.isISOControl(cp) || cp > 0x7E);
        return plain ? filename : null;
    }

    private static InputStream open(LocalFile file) {
        try {
            return new ExactLength(Files.newInputStream(file.path()), file.sizeBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file.fileId(), e);
        }
    }

    /** Delivers exactly {@code remaining} bytes of the underlying stream, or fails when it ends early. */
    private static final class ExactLength extends FilterInputStream {
        private long remaining;

        ExactLength(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int read = super.read(buffer, offset, (int) Math.min(count, remaining));
            if (read < 0) {
                throw new IOException("a file became shorter while it was being uploaded");
            }
            remaining -= read;
            return read;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }
    }
}
