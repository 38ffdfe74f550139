package io.frostbyte.server.auth;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import java.time.Instant;
import java.util.Set;

/** An authenticated caller: the verified claims of its token. */
public record Principal(
        String subject,
        TenantId tenantId,
        Role role,
        Set<Scope> scopes,
        long epoch,
        String tokenId,
        Instant expiresAt) {
    public Principal {
        requireNonNull(subject, "subject is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(role, "role is null");
        scopes = Set.copyOf(scopes);
        requireNonNull(tokenId, "tokenId is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    public boolean isPlatform() {
        return tenantId.isPlatform();
    }
}
