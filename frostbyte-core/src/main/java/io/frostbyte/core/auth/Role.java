package io.frostbyte.core.auth;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The roles a token may carry (spec/08 §8.1) and the scopes each may hold. */
public enum Role {
    TENANT_USER(EnumSet.of(Scope.INGEST, Scope.QUERY)),
    TENANT_ADMIN(EnumSet.of(Scope.INGEST, Scope.QUERY, Scope.AUDIT)),
    AUDITOR(EnumSet.of(Scope.AUDIT)),
    ADMIN(EnumSet.allOf(Scope.class));

    private final Set<Scope> allowedScopes;

    Role(Set<Scope> allowedScopes) {
        this.allowedScopes = Set.copyOf(allowedScopes);
    }

    public Set<Scope> allowedScopes() {
        return allowedScopes;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String text) {
        for (Role role : values()) {
            if (role.wire().equals(text)) {
                return role;
            }
        }
        throw new FrostbyteException(
                ErrorCode.VALIDATION_ERROR, "role must be one of tenant_user, tenant_admin, auditor, admin");
    }
}
