package io.frostbyte.server.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A freshly issued token. The token text is a secret: never log it. */
public record IssuedToken(String token, String jti, Instant expiresAt, long keyEpoch) {
    public IssuedToken {
        requireNonNull(token, "token is null");
        requireNonNull(jti, "jti is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    @Override
    public String toString() {
        return "IssuedToken[jti=" + jti + ", expiresAt=" + expiresAt + ", keyEpoch=" + keyEpoch + "]";
    }
}
