package io.frostbyte.core.proof;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Lower-case hex SHA-256, as every hash in a proof is written. */
final class Sha256 {
    static final Pattern HEX = Pattern.compile("^[0-9a-f]{64}$");

    private Sha256() {}

    static String ofUtf8(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    static String of(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    static String require(String hex, String name) {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(name + " must be 64 lower-case hex digits: " + hex);
        }
        return hex;
    }
}
