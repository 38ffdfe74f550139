package io.frostbyte.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");
    private static final OctetKeyPair KEY = generate();
    private static final OctetKeyPair OTHER_KEY = generate();
    private static final TenantId ACME = TenantId.of("acme-corp");

    private static OctetKeyPair generate() {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TokenService at(Instant instant, OctetKeyPair key) {
        return TokenService.ed25519("frostbyte", key, "ed25519:test", Clock.fixed(instant, ZoneOffset.UTC));
    }

    private static void assertCode(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        FrostbyteException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void a_verified_token_carries_the_claims_it_was_issued_with() {
        IssuedToken issued = at(NOW, KEY)
                .issue(
                        "vendor-dana",
                        ACME,
                        Role.TENANT_ADMIN,
                        EnumSet.of(Scope.INGEST, Scope.QUERY),
                        Duration.ofHours(24),
                        3);

        Principal principal = at(NOW.plusSeconds(60), KEY).verify(issued.token());

        assertThat(principal.subject()).isEqualTo("vendor-dana");
        assertThat(principal.tenantId()).isEqualTo(ACME);
        assertThat(principal.role()).isEqualTo(Role.TENANT_ADMIN);
        assertThat(principal.scopes()).containsExactlyInAnyOrder(Scope.INGEST, Scope.QUERY);
        assertThat(principal.epoch()).isEqualTo(3);
        assertThat(principal.tokenId()).isEqualTo(issued.jti());
        assertThat(principal.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(issued.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    }

    @Test
    void an_expired_token_is_token_expired_after_the_60_second_skew() {
        String token = at(NOW, KEY)
                .issue("u1", ACME, Role.TENANT_USER, Set.of(Scope.QUERY), Duration.ofMinutes(5), 1)
                .token();

        assertThat(at(NOW.plusSeconds(300 + 59), KEY).verify(token).subject()).isEqualTo("u1");
        assertCode(() -> at(NOW.plusSeconds(300 + 61), KEY).verify(token), ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void a_token_signed_with_another_key_is_rejected() {
        String token = at(NOW, OTHER_KEY)
                .issue("u1", ACME, Role.TENANT_USER, Set.of(Scope.QUERY), Duration.ofHours(1), 1)
                .token();
        assertCode(() -> at(NOW, KEY).verify(token), ErrorCode.AUTHENTICATION_REQUIRED);
    }

    @Test
    void malformed_and_tampered_tokens_are_rejected() {
        String token = at(NOW, KEY)
                .issue("u1", ACME, Role.TENANT_USER, Set.of(Scope.QUERY), Duration.ofHours(1), 1)
                .token();
        String[] parts = token.split("\\.");
        String forgedClaims = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]))
                        .replace("tenant_user", "tenant_admin")
                        .getBytes());

        for (String bad : List.of(
                "", "abc", "a.b.c", token + "x", parts[0] + "." + forgedClaims + "." + parts[2], "x".repeat(9000))) {
            assertCode(() -> at(NOW, KEY).verify(bad), ErrorCode.AUTHENTICATION_REQUIRED);
        }
    }

    @Test
    void an_unsigned_or_hs256_token_is_rejected_by_an_eddsa_service() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("frostbyte")
                .audience("frostbyte")
                .subject("u1")
                .claim("tenant_id", "acme-corp")
                .claim("role", "admin")
                .claim("scopes", List.of("admin"))
                .claim("epoch", 1)
                .jwtID("j")
                .expirationTime(Date.from(NOW.plusSeconds(600)))
                .build();
        String none = new com.nimbusds.jwt.PlainJWT(claims).serialize();
        SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hs.sign(new MACSigner(KEY.getX().decode().length >= 32 ? new byte[64] : new byte[64]));

        assertCode(() -> at(NOW, KEY).verify(none), ErrorCode.AUTHENTICATION_REQUIRED);
        assertCode(() -> at(NOW, KEY).verify(hs.serialize()), ErrorCode.AUTHENTICATION_REQUIRED);
    }

    @Test
    void a_token_of_another_issuer_is_rejected() {
        TokenService other = TokenService.ed25519("someone-else", KEY, "k", Clock.fixed(NOW, ZoneOffset.UTC));
        String token = other.issue("u1", ACME, Role.TENANT_USER, Set.of(Scope.QUERY), Duration.ofHours(1), 1)
                .token();
        assertCode(() -> at(NOW, KEY).verify(token), ErrorCode.AUTHENTICATION_REQUIRED);
    }

    @Test
    void hs256_tokens_verify_with_the_same_secret_only() {
        String secret = "k".repeat(64);
        TokenService hs = TokenService.hs256("frostbyte", secret, Clock.fixed(NOW, ZoneOffset.UTC));
        String token = hs.issue("u1", ACME, Role.TENANT_USER, Set.of(Scope.QUERY), Duration.ofHours(1), 1)
                .token();

        assertThat(hs.verify(token).subject()).isEqualTo("u1");
        assertCode(
                () -> TokenService.hs256("frostbyte", "j".repeat(64), Clock.fixed(NOW, ZoneOffset.UTC))
                        .verify(token),
                ErrorCode.AUTHENTICATION_REQUIRED);
        assertCode(() -> TokenService.hs256("frostbyte", "short", Clock.systemUTC()), ErrorCode.CONFIG_INVALID);
    }

    @Test
    void issuing_enforces_roles_tenants_scopes_subjects_and_lifetimes() {
        TokenService service = at(NOW, KEY);
        assertCode(
                () -> service.issue("u1", ACME, Role.ADMIN, Set.of(Scope.ADMIN), Duration.ofHours(1), 1),
                ErrorCode.VALIDATION_ERROR);
        assertCode(
                () -> service.issue(
                        "u1", TenantId.PLATFORM, Role.TENANT_USER, Set.of(Scope.QUERY), Duration.ofHours(1), 1),
                ErrorCode.VALIDATION_ERROR);
        assertCode(
                () -> service.issue("u1", ACME, Role.TENANT_USER, Set.of(Scope.AUDIT), Duration.ofHours(1), 1),
                ErrorCode.VALIDATION_ERROR);
        assertCode(
                () -> service.issue(
                        "dana@example.com", ACME, Role.TENANT_USER, Set.of(Scope.QUERY), Duration.ofHours(1), 1),
                ErrorCode.VALIDATION_ERROR);
        assertCode(
                () -> service.issue("u1", ACME, Role.TENANT_USER, Set.of(Scope.QUERY), Duration.ofDays(91), 1),
                ErrorCode.VALIDATION_ERROR);
        assertCode(
                () -> service.issue("u1", ACME, Role.TENANT_USER, Set.of(), Duration.ofHours(1), 1),
                ErrorCode.VALIDATION_ERROR);

        assertThat(service.issue(
                                "auditor-1",
                                TenantId.PLATFORM,
                                Role.AUDITOR,
                                Set.of(Scope.AUDIT),
                                Duration.ofDays(90),
                                1)
                        .jti())
                .isNotBlank();
        assertThat(service.issue(
                                "root",
                                TenantId.PLATFORM,
                                Role.ADMIN,
                                EnumSet.allOf(Scope.class),
                                Duration.ofDays(1),
                                1)
                        .jti())
                .isNotBlank();
    }
}
