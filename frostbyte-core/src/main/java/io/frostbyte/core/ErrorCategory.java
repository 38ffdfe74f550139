package io.frostbyte.core;

/**
 * The category of an {@link ErrorCode}: decides the default HTTP status family, the metric label and whether a job
 * retries.
 */
public enum ErrorCategory {
    USER(false),
    AUTH(false),
    POLICY(false),
    NOT_FOUND(false),
    CONFLICT(false),
    RESOURCE(false),
    UPSTREAM_RETRIABLE(true),
    INTERNAL(true);

    private final boolean retriable;

    ErrorCategory(boolean retriable) {
        this.retriable = retriable;
    }

    /** Whether a job that failed with an error of this category is retried on its stage's schedule. */
    public boolean retriable() {
        return retriable;
    }
}
