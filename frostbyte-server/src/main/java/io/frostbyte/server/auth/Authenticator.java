package io.frostbyte.server.auth;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.TenantStatus;
import java.util.Optional;

/**
 * Applies spec/08 API-1 in its order: token present, signature/issuer/audience, expiry, epoch, role and scope, path
 * tenant, tenant state. Rate limits come after it. Thread-safe.
 */
public final class Authenticator {
    private static final String BEARER = "Bearer ";

    private final TokenService tokens;
    private final TenantStateCache tenants;

    public Authenticator(TokenService tokens, TenantStateCache tenants) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
    }

    /**
     * @param authorization the {@code Authorization} header, possibly null
     * @param pathTenant the raw tenant id from the path, when the route is tenant-scoped
     * @return the caller and, for tenant routes, the tenant's status
     */
    public Authenticated authenticate(String authorization, AccessRule rule, Optional<String> pathTenant) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new FrostbyteException(ErrorCode.AUTHENTICATION_REQUIRED, "A bearer token is required.");
        }
        Principal principal =
                tokens.verify(authorization.substring(BEARER.length()).strip());

        TenantStatus own = tenants.status(principal.tenantId())
                .orElseThrow(() -> new FrostbyteException(ErrorCode.TOKEN_REVOKED, "The token has been revoked."));
        if (principal.epoch() != own.keyEpoch()) {
            throw new FrostbyteException(ErrorCode.TOKEN_REVOKED, "The token has been revoked.");
        }

        if (!rule.roles().contains(principal.role())
                || !principal.scopes().contains(rule.scope().orElseThrow())) {
            throw forbidden();
        }

        if (pathTenant.isEmpty()) {
            return new Authenticated(principal, Optional.empty());
        }
        String requested = pathTenant.get();
        if (!principal.isPlatform() && !principal.tenantId().value().equals(requested)) {
            throw forbidden();
        }
        boolean platformPath = rule.platformPathAllowed() && requested.equals(TenantId.PLATFORM.value());
        if (!TenantId.isValid(requested) && !platformPath) {
            throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "Tenant not found.");
        }
        TenantStatus target = tenants.status(TenantId.of(requested))
                .orElseThrow(() -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "Tenant not found."));
        if (target.state() != TenantState.ACTIVE && !rule.openWhileSuspended()) {
            throw new FrostbyteException(ErrorCode.TENANT_SUSPENDED, "The tenant is suspended.");
        }
        return new Authenticated(principal, Optional.of(target));
    }

    private static FrostbyteException forbidden() {
        return new FrostbyteException(ErrorCode.INSUFFICIENT_PERMISSIONS, "The token does not permit this operation.");
    }

    /** The outcome of a successful check. */
    public record Authenticated(Principal principal, Optional<TenantStatus> tenant) {
        public Authenticated {
            requireNonNull(principal, "principal is null");
            requireNonNull(tenant, "tenant is null");
        }
    }
}
