package io.frostbyte.server.http;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where failures become HTTP answers: status from the {@link ErrorCode} table, the error envelope of
 * spec/08 API-2. Messages are Frostbyte-authored; a third-party exception's message never reaches the client or the
 * log (it may carry content), only its class and a stack-trace hash.
 */
public final class ErrorMapper {
    /** A mapped failure: the HTTP status and the code to report. */
    public record Mapped(int status, ErrorCode code, String message, List<FrostbyteException.ErrorDetail> details) {}

    private ErrorMapper() {}

    public static Mapped map(Throwable failure) {
        if (failure instanceof FrostbyteException e) {
            int status = e.code().isFileReason() ? 500 : e.code().httpStatus();
            ErrorCode code = e.code() == ErrorCode.CONFIG_INVALID ? ErrorCode.INTERNAL_ERROR : e.code();
            return new Mapped(status, code, e.getMessage(), e.details());
        }
        if (failure instanceof HttpResponseException e) {
            return switch (e.getStatus()) {
                case 404 -> new Mapped(404, ErrorCode.RESOURCE_NOT_FOUND, "No such resource.", List.of());
                case 405 -> new Mapped(405, ErrorCode.VALIDATION_ERROR, "Method not allowed.", List.of());
                case 413 -> new Mapped(413, ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large.", List.of());
                case 415 -> new Mapped(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported content type.", List.of());
                case 400 -> new Mapped(400, ErrorCode.VALIDATION_ERROR, "The request is invalid.", List.of());
                default -> new Mapped(500, ErrorCode.INTERNAL_ERROR, "Internal error.", List.of());
            };
        }
        return new Mapped(500, ErrorCode.INTERNAL_ERROR, "Internal error.", List.of());
    }

    /** The error envelope: {@code {success:false, error:{code, message, details[], request_id}}}. */
    public static Map<String, Object> envelope(Mapped mapped, String requestId) {
        List<Map<String, Object>> details = new ArrayList<>();
        for (FrostbyteException.ErrorDetail detail : mapped.details()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("field", detail.field());
            item.put("value", detail.value());
            item.put("constraint", detail.constraint());
            details.add(item);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", mapped.code().name());
        error.put("message", mapped.message());
        error.put("details", details);
        error.put("request_id", requestId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        return body;
    }

    /** First 16 hex of sha256 over the exception class and its top frames: lets logs group failures without content. */
    public static String stackTraceHash(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getName());
        StackTraceElement[] frames = failure.getStackTrace();
        for (int i = 0; i < Math.min(8, frames.length); i++) {
            text.append('|')
                    .append(frames[i].getClassName())
                    .append('.')
                    .append(frames[i].getMethodName())
                    .append(':')
                    .append(frames[i].getLineNumber());
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
