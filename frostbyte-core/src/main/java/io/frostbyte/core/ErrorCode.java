package io.frostbyte.core;

/**
 * Every error Frostbyte reports, with its category and HTTP status (spec/08 §8.7). The API maps a
 * {@link FrostbyteException} to its envelope through this table and nowhere else.
 *
 * <p>Per-file and stage reasons ({@link #isFileReason()}) appear in receipts, reports and events, never as an HTTP
 * status; their status is what a stage would report if one leaked.
 */
public enum ErrorCode {
    VALIDATION_ERROR(ErrorCategory.USER, 400),
    MANIFEST_INVALID(ErrorCategory.USER, 400),
    MANIFEST_FILE_COUNT_MISMATCH(ErrorCategory.USER, 400),
    DUPLICATE_FILE_ID(ErrorCategory.USER, 400),
    BATCH_TOO_LARGE(ErrorCategory.USER, 400),
    CONFIRMATION_MISMATCH(ErrorCategory.USER, 400),

    AUTHENTICATION_REQUIRED(ErrorCategory.AUTH, 401),
    TOKEN_EXPIRED(ErrorCategory.AUTH, 401),
    TOKEN_REVOKED(ErrorCategory.AUTH, 401),

    FORBIDDEN(ErrorCategory.AUTH, 403),
    INSUFFICIENT_PERMISSIONS(ErrorCategory.AUTH, 403),
    TENANT_SUSPENDED(ErrorCategory.POLICY, 403),
    QUOTA_EXCEEDED(ErrorCategory.POLICY, 403),

    RESOURCE_NOT_FOUND(ErrorCategory.NOT_FOUND, 404),

    TENANT_ALREADY_EXISTS(ErrorCategory.CONFLICT, 409),
    INVALID_STATE_TRANSITION(ErrorCategory.CONFLICT, 409),
    BATCH_ALREADY_EXISTS(ErrorCategory.CONFLICT, 409),
    RESOURCE_NOT_READY(ErrorCategory.CONFLICT, 409),

    EXPORT_EXPIRED(ErrorCategory.NOT_FOUND, 410),
    PAYLOAD_TOO_LARGE(ErrorCategory.USER, 413),
    UNSUPPORTED_MEDIA_TYPE(ErrorCategory.USER, 415),
    RATE_LIMIT_EXCEEDED(ErrorCategory.RESOURCE, 429),
    INTERNAL_ERROR(ErrorCategory.INTERNAL, 500),
    SERVICE_UNAVAILABLE(ErrorCategory.UPSTREAM_RETRIABLE, 503),

    /** Start-up configuration is invalid; never an HTTP answer. */
    CONFIG_INVALID(ErrorCategory.USER, 500),
    /** The tenant's keyset was destroyed (crypto-shredded): its data can never be decrypted again. */
    KEYS_DESTROYED(ErrorCategory.NOT_FOUND, 410),
    /** Ciphertext failed authentication: wrong tenant, wrong key or tampered bytes. */
    DECRYPTION_FAILED(ErrorCategory.INTERNAL, 500),

    UNSUPPORTED_FORMAT(ErrorCategory.USER, 400, true),
    CHECKSUM_MISMATCH(ErrorCategory.USER, 400, true),
    MALWARE_DETECTED(ErrorCategory.POLICY, 400, true),
    FILE_CORRUPTED(ErrorCategory.USER, 400, true),
    FILE_ENCRYPTED(ErrorCategory.USER, 400, true),
    NO_TEXT_EXTRACTED(ErrorCategory.USER, 400, true),
    OCR_UNAVAILABLE(ErrorCategory.UPSTREAM_RETRIABLE, 503, true),
    OCR_FAILED(ErrorCategory.INTERNAL, 500, true),
    PARSE_TIMEOUT(ErrorCategory.RESOURCE, 500, true),
    PARSER_ERROR(ErrorCategory.INTERNAL, 500, true),
    PII_BLOCK_POLICY(ErrorCategory.POLICY, 400, true),
    INJECTION_HIGH_SCORE(ErrorCategory.POLICY, 400, true),
    DETECTOR_ERROR(ErrorCategory.INTERNAL, 500, true),
    POLICY_FAILED(ErrorCategory.INTERNAL, 500, true),
    DIMENSION_MISMATCH(ErrorCategory.POLICY, 500, true),
    EMBED_FAILED(ErrorCategory.UPSTREAM_RETRIABLE, 503, true),
    INDEX_FAILED(ErrorCategory.UPSTREAM_RETRIABLE, 503, true),
    ANSWERER_UNAVAILABLE(ErrorCategory.UPSTREAM_RETRIABLE, 503, true);

    private final ErrorCategory category;
    private final int httpStatus;
    private final boolean fileReason;

    ErrorCode(ErrorCategory category, int httpStatus) {
        this(category, httpStatus, false);
    }

    ErrorCode(ErrorCategory category, int httpStatus, boolean fileReason) {
        this.category = category;
        this.httpStatus = httpStatus;
        this.fileReason = fileReason;
    }

    public ErrorCategory category() {
        return category;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** A per-file or per-stage reason, reported in results rather than as an HTTP status. */
    public boolean isFileReason() {
        return fileReason;
    }

    /** Whether a job failing with this code is retried; {@link #DIMENSION_MISMATCH} never is. */
    public boolean retriable() {
        return this != DIMENSION_MISMATCH && category.retriable();
    }
}
