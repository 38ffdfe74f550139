package io.frostbyte.core;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A tenant's id (ARCHITECTURE.md §4), or {@link #PLATFORM} for platform roles and the platform audit chain.
 *
 * @param value {@code ^[a-z][a-z0-9-]{1,30}[a-z0-9]$} with no {@code --}, or {@code _platform}
 */
public record TenantId(String value) implements Comparable<TenantId> {
    private static final Pattern PATTERN = Pattern.compile("^[a-z][a-z0-9-]{1,30}[a-z0-9]$");
    private static final String PLATFORM_VALUE = "_platform";

    public static final TenantId PLATFORM = new TenantId(PLATFORM_VALUE);

    public TenantId {
        requireNonNull(value, "tenant id is null");
        if (!value.equals(PLATFORM_VALUE) && !isValid(value)) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "tenant_id must match ^[a-z][a-z0-9-]{1,30}[a-z0-9]$ without '--'",
                    java.util.List.of(new FrostbyteException.ErrorDetail(
                            "tenant_id", value.length() > 64 ? value.substring(0, 64) : value, PATTERN.pattern())));
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches() && !value.contains("--");
    }

    public boolean isPlatform() {
        return value.equals(PLATFORM_VALUE);
    }

    /** The form used in PostgreSQL identifiers: {@code acme-corp} becomes {@code acme_corp}. */
    public String sqlName() {
        if (isPlatform()) {
            throw new IllegalStateException("_platform has no tenant database");
        }
        return value.replace('-', '_');
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
