package io.frostbyte.server.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.Uuid7;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Issues and verifies the API's JWTs (spec/08 §8.1): EdDSA (Ed25519) by default or HS256 with a secret of at least 64
 * bytes. Verification checks signature, issuer and audience ({@code AUTHENTICATION_REQUIRED}) and then expiry
 * ({@code TOKEN_EXPIRED}); the epoch, role, scope and tenant checks belong to {@link Authenticator}. Thread-safe.
 */
public final class TokenService {
    public static final String AUDIENCE = "frostbyte";
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration MAX_TTL = Duration.ofDays(90);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final Pattern SUBJECT = Pattern.compile("^[A-Za-z0-9._:-]{1,64}$");
    private static final int MAX_TOKEN_CHARS = 8192;

    private final String issuer;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final String keyId;
    private final Clock clock;

    private TokenService(
            String issuer, JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier, String keyId, Clock clock) {
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.algorithm = algorithm;
        this.signer = signer;
        this.verifier = verifier;
        this.keyId = keyId;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** EdDSA tokens signed with an Ed25519 OKP key (a JWK with {@code d}). */
    public static TokenService ed25519(String issuer, OctetKeyPair key, String keyId, Clock clock) {
        try {
            if (!key.isPrivate()) {
                throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "auth.jwt_key_file holds no private key");
            }
            return new TokenService(
                    issuer,
                    JWSAlgorithm.EdDSA,
                    new Ed25519Signer(key),
                    new Ed25519Verifier(key.toPublicJWK()),
                    keyId,
                    clock);
        } catch (JOSEException e) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "auth.jwt_key_file is not an Ed25519 key", e);
        }
    }

    /** HS256 tokens; the secret must have at least 64 bytes. */
    public static TokenService hs256(String issuer, String secret, Clock clock) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 64) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "auth.jwt_secret must have at least 64 bytes");
        }
        try {
            return new TokenService(
                    issuer, JWSAlgorithm.HS256, new MACSigner(bytes), new MACVerifier(bytes), null, clock);
        } catch (JOSEException e) {
            throw new FrostbyteException(ErrorCode.CONFIG_INVALID, "auth.jwt_secret is unusable", e);
        }
    }

    /**
     * Issues a token after checking that the role may act for the tenant and hold the scopes.
     *
     * @throws FrostbyteException {@code VALIDATION_ERROR} naming the offending field
     */
    public IssuedToken issue(
            String subject, TenantId tenantId, Role role, Set<Scope> scopes, Duration ttl, long epoch) {
        validate(subject, tenantId, role, scopes, ttl);
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String jti = Uuid7.randomString();
        List<String> scopeNames = scopes.stream().map(Scope::wire).sorted().toList();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("tenant_id", tenantId.value())
                .claim("role", role.wire())
                .claim("scopes", scopeNames)
                .claim("epoch", epoch)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(jti)
                .build();
        JWSHeader.Builder header = new JWSHeader.Builder(algorithm).type(com.nimbusds.jose.JOSEObjectType.JWT);
        if (keyId != null) {
            header.keyID(keyId);
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new FrostbyteException(ErrorCode.INTERNAL_ERROR, "token signing failed", e);
        }
        return new IssuedToken(jwt.serialize(), jti, expires, epoch);
    }

    static void validate(String subject, TenantId tenantId, Role role, Set<Scope> scopes, Duration ttl) {
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            throw invalid("sub", subject, "^[A-Za-z0-9._:-]{1,64}$");
        }
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(role, "role is null");
        switch (role) {
            case ADMIN -> {
                if (!tenantId.isPlatform()) {
                    throw invalid("role", role.wire(), "admin tokens belong to _platform");
                }
            }
            case TENANT_USER, TENANT_ADMIN -> {
                if (tenantId.isPlatform()) {
                    throw invalid("role", role.wire(), "tenant roles need a tenant, not _platform");
                }
            }
            case AUDITOR -> {}
        }
        if (scopes == null || scopes.isEmpty()) {
            throw invalid("scopes", null, "at least one scope");
        }
        for (Scope scope : scopes) {
            if (!role.allowedScopes().contains(scope)) {
                throw invalid(
                        "scopes",
                        scope.wire(),
                        "a scope the role " + role.wire() + " may hold: "
                                + role.allowedScopes().stream()
                                        .map(Scope::wire)
                                        .sorted()
                                        .toList());
            }
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw invalid("ttl", ttl == null ? null : ttl.toSeconds(), "1 second to 90 days");
        }
    }

    /**
     * Verifies signature, algorithm, issuer, audience and expiry, and reads the claims.
     *
     * @throws FrostbyteException {@code AUTHENTICATION_REQUIRED} or {@code TOKEN_EXPIRED}
     */
    public Principal verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw unauthenticated();
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                throw unauthenticated();
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            throw unauthenticated();
        }
        if (!issuer.equals(claims.getIssuer())
                || claims.getAudience() == null
                || !claims.getAudience().contains(AUDIENCE)) {
            throw unauthenticated();
        }
        Date expiration = claims.getExpirationTime();
        if (expiration == null) {
            throw unauthenticated();
        }
        Instant now = clock.instant();
        if (expiration.toInstant().plus(CLOCK_SKEW).isBefore(now)) {
            throw new FrostbyteException(ErrorCode.TOKEN_EXPIRED, "The token has expired.");
        }
        Date issued = claims.getIssueTime();
        if (issued != null && issued.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw unauthenticated();
        }
        try {
            String subject = claims.getSubject();
            String tenant = claims.getStringClaim("tenant_id");
            String role = claims.getStringClaim("role");
            List<String> scopeNames = claims.getStringListClaim("scopes");
            Long epoch = claims.getLongClaim("epoch");
            String jti = claims.getJWTID();
            if (subject == null
                    || !SUBJECT.matcher(subject).matches()
                    || tenant == null
                    || role == null
                    || scopeNames == null
                    || epoch == null
                    || jti == null) {
                throw unauthenticated();
            }
            Set<Scope> scopes = new LinkedHashSet<>();
            for (String name : scopeNames) {
                scopes.add(Scope.fromWire(name));
            }
            return new Principal(
                    subject, TenantId.of(tenant), Role.fromWire(role), scopes, epoch, jti, expiration.toInstant());
        } catch (ParseException | FrostbyteException e) {
            throw unauthenticated();
        }
    }

    private static FrostbyteException unauthenticated() {
        return new FrostbyteException(ErrorCode.AUTHENTICATION_REQUIRED, "A valid bearer token is required.");
    }

    private static FrostbyteException invalid(String field, Object value, String constraint) {
        return new FrostbyteException(
                ErrorCode.VALIDATION_ERROR,
                "Token request is invalid.",
                List.of(new FrostbyteException.ErrorDetail(field, value, constraint)));
    }
}
