package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of {@code GET /admin/tenants}.
 *
 * @param tenants ordered by tenant id
 * @param total how many tenants match the filter over all pages
 */
public record TenantPage(List<TenantRecord> tenants, int page, int limit, long total) {
    public TenantPage {
        tenants = List.copyOf(requireNonNull(tenants, "tenants is null"));
        if (page < 1 || limit < 1 || total < 0) {
            throw new IllegalArgumentException("page and limit must be >= 1, total >= 0");
        }
    }
}
