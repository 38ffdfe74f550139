package io.frostbyte.server.auth;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call a route: the roles, the scope, whether the path names a tenant, and whether the route stays open while
 * the tenant is suspended (audit routes do, for investigation: spec/07 TEN-3).
 *
 * @param scope empty for unauthenticated routes
 * @param tenantPathParam the path parameter holding the tenant id, when the route is tenant-scoped
 * @param platformPathAllowed whether {@code _platform} may stand in the path (platform tokens only)
 */
public record AccessRule(
        boolean authenticated,
        Set<Role> roles,
        Optional<Scope> scope,
        Optional<String> tenantPathParam,
        boolean openWhileSuspended,
        boolean platformPathAllowed) {
    public AccessRule {
        roles = Set.copyOf(roles);
        requireNonNull(scope, "scope is null");
        requireNonNull(tenantPathParam, "tenantPathParam is null");
        if (authenticated && (roles.isEmpty() || scope.isEmpty())) {
            throw new IllegalArgumentException("an authenticated route needs roles and a scope");
        }
    }

    public static AccessRule open() {
        return new AccessRule(false, Set.of(), Optional.empty(), Optional.empty(), true, false);
    }

    /** A platform route (no tenant in the path), e.g. {@code /admin/*}. */
    public static AccessRule platform(Scope scope, Role... roles) {
        return new AccessRule(true, EnumSet.of(roles[0], roles), Optional.of(scope), Optional.empty(), true, false);
    }

    /** A tenant route whose tenant id is the path parameter {@code tenant_id}. */
    public static AccessRule tenant(Scope scope, Role... roles) {
        return new AccessRule(
                true, EnumSet.of(roles[0], roles), Optional.of(scope), Optional.of("tenant_id"), false, false);
    }

    /** The route stays open while the tenant is suspended (audit routes, for investigation). */
    public AccessRule whileSuspended() {
        return new AccessRule(authenticated, roles, scope, tenantPathParam, true, platformPathAllowed);
    }

    /** Platform tokens may name {@code _platform} as the path tenant (the platform audit chain). */
    public AccessRule orPlatform() {
        return new AccessRule(authenticated, roles, scope, tenantPathParam, openWhileSuspended, true);
    }
}
