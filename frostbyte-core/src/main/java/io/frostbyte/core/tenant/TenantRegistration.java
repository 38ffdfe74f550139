package io.frostbyte.core.tenant;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.FrostbyteException.ErrorDetail;
import io.frostbyte.core.TenantId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request to register a tenant ({@code POST /admin/tenants}). Immutable.
 *
 * @param tenantId the id given by the admin; when empty it is derived from {@code tenantName} ({@link TenantIds#derive})
 * @param config a partial configuration applied over the tier's defaults
 */
public record TenantRegistration(
        Optional<TenantId> tenantId, String tenantName, String contactEmail, Tier tier, Map<String, Object> config) {
    public TenantRegistration {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(tenantName, "tenantName is null");
        requireNonNull(contactEmail, "contactEmail is null");
        requireNonNull(tier, "tier is null");
        config = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(config, "config is null")));
        List<ErrorDetail> errors = new ArrayList<>();
        if (tenantName.isBlank() || tenantName.length() > 200) {
            errors.add(new ErrorDetail("tenant_name", null, "1 to 200 characters"));
        }
        int at = contactEmail.indexOf('@');
        if (contactEmail.length() > 254 || at < 1 || at == contactEmail.length() - 1 || contactEmail.isBlank()) {
            errors.add(new ErrorDetail("contact_email", null, "an e-mail address of at most 254 characters"));
        }
        if (tenantId.isPresent() && tenantId.get().isPlatform()) {
            errors.add(new ErrorDetail("tenant_id", tenantId.get().value(), "not the platform id"));
        }
        if (!errors.isEmpty()) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "invalid tenant registration", errors);
        }
    }

    /** The id to register: the given one or the one derived from the name. */
    public TenantId resolvedId() {
        return tenantId.orElseGet(() -> TenantIds.derive(tenantName));
    }
}
