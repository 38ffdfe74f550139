package io.frostbyte.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    @Test
    void maps_the_spec_error_codes_to_their_http_statuses() {
        Map<ErrorCode, Integer> expected = Map.ofEntries(
                Map.entry(ErrorCode.VALIDATION_ERROR, 400), Map.entry(ErrorCode.MANIFEST_INVALID, 400),
                Map.entry(ErrorCode.MANIFEST_FILE_COUNT_MISMATCH, 400), Map.entry(ErrorCode.DUPLICATE_FILE_ID, 400),
                Map.entry(ErrorCode.BATCH_TOO_LARGE, 400), Map.entry(ErrorCode.CONFIRMATION_MISMATCH, 400),
                Map.entry(ErrorCode.AUTHENTICATION_REQUIRED, 401), Map.entry(ErrorCode.TOKEN_EXPIRED, 401),
                Map.entry(ErrorCode.TOKEN_REVOKED, 401), Map.entry(ErrorCode.FORBIDDEN, 403),
                Map.entry(ErrorCode.INSUFFICIENT_PERMISSIONS, 403), Map.entry(ErrorCode.TENANT_SUSPENDED, 403),
                Map.entry(ErrorCode.QUOTA_EXCEEDED, 403), Map.entry(ErrorCode.RESOURCE_NOT_FOUND, 404),
                Map.entry(ErrorCode.TENANT_ALREADY_EXISTS, 409), Map.entry(ErrorCode.INVALID_STATE_TRANSITION, 409),
                Map.entry(ErrorCode.BATCH_ALREADY_EXISTS, 409), Map.entry(ErrorCode.RESOURCE_NOT_READY, 409),
                Map.entry(ErrorCode.EXPORT_EXPIRED, 410), Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, 413),
                Map.entry(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 415), Map.entry(ErrorCode.RATE_LIMIT_EXCEEDED, 429),
                Map.entry(ErrorCode.INTERNAL_ERROR, 500), Map.entry(ErrorCode.SERVICE_UNAVAILABLE, 503));

        expected.forEach((code, status) -> {
            ErrorMapper.Mapped mapped = ErrorMapper.map(new FrostbyteException(code, "m"));
            assertThat(mapped.status()).as(code.name()).isEqualTo(status);
            assertThat(mapped.code()).isEqualTo(code);
        });
    }

    @Test
    void an_unexpected_exception_is_an_internal_error_whose_message_never_leaks() {
        ErrorMapper.Mapped mapped = ErrorMapper.map(new IllegalStateException("SSN 078-05-1120 in page 3"));

        assertThat(mapped.status()).isEqualTo(500);
        assertThat(mapped.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(mapped.message()).doesNotContain("078-05-1120");
    }

    @Test
    void the_envelope_always_has_a_details_array_and_the_request_id() {
        Map<String, Object> envelope = ErrorMapper.envelope(
                ErrorMapper.map(new FrostbyteException(
                        ErrorCode.VALIDATION_ERROR,
                        "Request body is invalid.",
                        List.of(new FrostbyteException.ErrorDetail("top_k", 500, "1 <= top_k <= 50")))),
                "req-12345678");

        assertThat(envelope).containsEntry("success", false);
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) envelope.get("error");
        assertThat(error).containsEntry("code", "VALIDATION_ERROR").containsEntry("request_id", "req-12345678");
        assertThat((List<?>) error.get("details")).hasSize(1);

        @SuppressWarnings("unchecked")
        Map<String, Object> empty = (Map<String, Object>)
                ErrorMapper.envelope(ErrorMapper.map(new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "No.")), "r")
                        .get("error");
        assertThat((List<?>) empty.get("details")).isEmpty();
    }

    @Test
    void the_stack_trace_hash_is_16_hex_and_stable() {
        Exception e = new IllegalStateException("x");
        assertThat(ErrorMapper.stackTraceHash(e)).matches("[0-9a-f]{16}").isEqualTo(ErrorMapper.stackTraceHash(e));
    }
}
