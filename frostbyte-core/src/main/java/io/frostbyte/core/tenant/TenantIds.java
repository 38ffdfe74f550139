package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import java.util.Locale;

/** Tenant id helpers of spec/07 §7.1. */
public final class TenantIds {
    private static final int MAX_LENGTH = 32;

    private TenantIds() {}

    /**
     * The id derived from a tenant name: lower-cased, every run of characters other than {@code a-z0-9} replaced by
     * one {@code -}, leading and trailing {@code -} removed, cut to 32 characters (and a trailing {@code -} removed
     * again), then validated. {@code "Acme Corp."} gives {@code acme-corp}.
     *
     * @throws io.frostbyte.core.FrostbyteException {@code VALIDATION_ERROR} when the result is no valid id (e.g. the
     *     name starts with a digit or has fewer than 3 usable characters): the admin must give a {@code tenant_id}
     */
    public static TenantId derive(String tenantName) {
        requireNonNull(tenantName, "tenantName is null");
        String id = tenantName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        id = stripDashes(id);
        if (id.length() > MAX_LENGTH) {
            id = stripDashes(id.substring(0, MAX_LENGTH));
        }
        return TenantId.of(id);
    }

    private static String stripDashes(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '-') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '-') {
            end--;
        }
        return text.substring(start, end);
    }
}
