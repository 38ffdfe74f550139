package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code stack_trace_hash} of a dead letter (spec/09 §9.1): the first 16 hex digits of SHA-256 over the exception's
 * class name and its top frames ({@code class.method}, no line numbers, so a rebuild does not change it). It groups
 * identical failures without storing a stack trace or an exception message, which may carry content.
 */
public final class StackTraceHash {
    /** How many frames from the top take part. */
    public static final int FRAMES = 5;

    private StackTraceHash() {}

    public static String of(Throwable throwable) {
        requireNonNull(throwable, "throwable is null");
        StringBuilder text = new StringBuilder(throwable.getClass().getName());
        StackTraceElement[] frames = throwable.getStackTrace();
        for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
            text.append('\n').append(frames[i].getClassName()).append('.').append(frames[i].getMethodName());
        }
        return ofText(text.toString());
    }

    /** The hash of a failure that has no exception, described by a fixed, content-free text. */
    public static String ofText(String description) {
        requireNonNull(description, "description is null");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
