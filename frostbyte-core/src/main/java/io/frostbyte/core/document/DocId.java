package io.frostbyte.core.document;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A document's id (ARCHITECTURE.md §4): {@code "doc_" + hex(sha256(tenant_id + "\n" + raw_sha256))[0:24]}, so the same
 * bytes sent twice by one tenant are one document.
 *
 * @param value {@code ^doc_[0-9a-f]{24}$}
 */
public record DocId(String value) implements Comparable<DocId> {
    private static final Pattern PATTERN = Pattern.compile("^doc_[0-9a-f]{24}$");
    static final Pattern SHA256_HEX = Pattern.compile("^[0-9a-f]{64}$");

    public DocId {
        requireNonNull(value, "doc id is null");
        if (!PATTERN.matcher(value).matches()) {
            throw new IllegalArgumentException("doc id must match ^doc_[0-9a-f]{24}$: " + value);
        }
    }

    public static DocId of(TenantId tenant, String rawSha256) {
        requireNonNull(tenant, "tenant is null");
        requireSha256(rawSha256, "raw_sha256");
        return new DocId("doc_" + sha256Hex(tenant.value() + "\n" + rawSha256).substring(0, 24));
    }

    static String requireSha256(String hex, String name) {
        requireNonNull(hex, name + " is null");
        if (!SHA256_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(name + " must be 64 lower-case hex digits: " + hex);
        }
        return hex;
    }

    static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    @Override
    public int compareTo(DocId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
