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
        if (declared > MAX_JSON_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "Request body could not be read.");
        }
    }

    private static FrostbyteException tooLarge() {
        return new FrostbyteException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than 1 MiB.",
                List.of(new FrostbyteException.ErrorDetail("body", null, "at most 1048576 bytes")));
    }
}
