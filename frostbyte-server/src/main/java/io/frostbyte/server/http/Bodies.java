package io.frostbyte.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

/** Reads JSON request bodies, bounded at 1 MiB (spec/08 §8.2), into records. */
public final class Bodies {
    public static final int MAX_JSON_BYTES = 1 << 20;
    /** Most bytes of an oversized body read and dropped so the client can read the 413. */
    static final long MAX_DRAINED_BYTES = 8L << 20;

    private Bodies() {}

    public static <T> T json(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new FrostbyteException(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The request body must be application/json.");
        }
        byte[] body = read(ctx);
        try {
            T value = Json.mapper().readValue(body, type);
            if (value == null) {
                throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "The request body must be a JSON object.");
            }
            return value;
        } catch (JsonMappingException e) {
            String field = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Request body is invalid.",
                    List.of(new FrostbyteException.ErrorDetail(
                            field.isEmpty() ? "body" : field, null, "a valid value of the documented type")));
        } catch (JsonProcessingException e) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Request body is not valid JSON.",
                    List.of(new FrostbyteException.ErrorDetail("body", null, "well-formed JSON")));
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "Request body could not be read.");
        }
    }

    private static byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_JSON_BYTES) {
                throw tooLarge(in, declared);
            }
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw tooLarge(in, declared < 0 ? 0 : declared - bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "Request body could not be read.");
        }
    }

    /**
     * The 413 for an oversized body, after reading and dropping the rest of it when that is at most {@value
     * #MAX_DRAINED_BYTES} bytes (or of unknown length): a client still sending a body the server refuses early loses
     * the answer when the connection is closed under it. A larger body is not read at all; the connection closes.
     */
    private static FrostbyteException tooLarge(InputStream in, long remaining) {
        if (remaining <= MAX_DRAINED_BYTES) {
            try {
                byte[] buffer = new byte[64 * 1024];
                long drained = 0;
                for (int n; drained <= MAX_DRAINED_BYTES && (n = in.read(buffer)) > 0; ) {
                    drained += n;
                }
            } catch (IOException ignored) {
                // the client went away; the answer is the same
            }
        }
        return tooLarge();
    }

    private static FrostbyteException tooLarge() {
        return new FrostbyteException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than 1 MiB.",
                List.of(new FrostbyteException.ErrorDetail("body", null, "at most 1048576 bytes")));
    }
}
