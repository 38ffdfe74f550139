package io.frostbyte.server.intake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/** Builds multipart/form-data batch bodies for tests, as a client such as curl sends them. */
public final class Multipart {
    public static final String BOUNDARY = "----frostbyte-test-boundary-7MA4YWxkTrZu0gW";
    public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final List<java.util.function.Supplier<InputStream>> parts = new ArrayList<>();

    public Multipart manifest(String json) {
        return part("manifest", null, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public Multipart file(String filename, byte[] content) {
        return part("files", filename, "application/octet-stream", content);
    }

    Multipart part(String name, String filename, String contentType, byte[] content) {
        return part(name, filename, contentType, () -> new java.io.ByteArrayInputStream(content));
    }

    /** A part whose content streams (possibly without end); the supplier is called for every body built. */
    Multipart part(String name, String filename, String contentType, java.util.function.Supplier<InputStream> content) {
        StringBuilder head =
                new StringBuilder("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"");
        if (filename != null) {
            head.append("; filename=\"").append(filename).append('"');
        }
        head.append("\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        parts.add(() -> new java.io.ByteArrayInputStream(headBytes));
        parts.add(content);
        parts.add(() -> new java.io.ByteArrayInputStream("\r\n".getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    InputStream stream() {
        List<InputStream> all = new ArrayList<>();
        parts.forEach(part -> all.add(part.get()));
        all.add(new java.io.ByteArrayInputStream(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8)));
        return new SequenceInputStream(Collections.enumeration(all));
    }

    public byte[] bytes() {
        try (InputStream in = stream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
