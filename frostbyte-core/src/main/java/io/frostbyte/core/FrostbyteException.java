package io.frostbyte.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The one exception Frostbyte throws for expected failures. Its message is Frostbyte-authored and content-free: it may
 * name keys, ids and limits, never document text, PII, tokens or secrets.
 */
public final class FrostbyteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<ErrorDetail> details;

    public FrostbyteException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public FrostbyteException(ErrorCode code, String message, Throwable cause) {
        this(code, message, List.of(), cause);
    }

    public FrostbyteException(ErrorCode code, String message, List<ErrorDetail> details) {
        this(code, message, details, null);
    }

    public FrostbyteException(ErrorCode code, String message, List<ErrorDetail> details, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.details = List.copyOf(requireNonNull(details, "details is null"));
    }

    public ErrorCode code() {
        return code;
    }

    public List<ErrorDetail> details() {
        return details;
    }

    /** One offending field of a request: its name, the value seen (may be null) and the rule it broke. */
    public record ErrorDetail(String field, Object value, String constraint) {
        public ErrorDetail {
            requireNonNull(field, "field is null");
            requireNonNull(constraint, "constraint is null");
        }
    }
}
