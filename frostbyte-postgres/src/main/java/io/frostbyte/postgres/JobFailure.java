package io.frostbyte.postgres;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;

/**
 * Why a job attempt failed, as recorded in {@code jobs.last_error} and a dead letter's {@code error}.
 *
 * @param message Frostbyte-authored and content-free (never an exception message from a parser or other library);
 *     cut to {@value #MAX_MESSAGE} characters
 * @param stackTraceHash 16 lower-case hex digits, see {@link StackTraceHash}
 */
public record JobFailure(ErrorCode code, String message, String stackTraceHash) {
    public static final int MAX_MESSAGE = 500;

    public JobFailure {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(stackTraceHash, "stackTraceHash is null");
        if (!stackTraceHash.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("stackTraceHash must be 16 lower-case hex digits");
        }
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE);
        }
    }

    /** A failure without an exception; its hash is derived from the code. */
    public static JobFailure of(ErrorCode code, String message) {
        return new JobFailure(code, message, StackTraceHash.ofText("no-exception:" + code.name()));
    }

    /** A failure caused by an exception; only its class and top frames are kept (as the hash). */
    public static JobFailure of(ErrorCode code, String message, Throwable cause) {
        return new JobFailure(code, message, StackTraceHash.of(cause));
    }
}
