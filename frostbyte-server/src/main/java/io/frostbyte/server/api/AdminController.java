package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.auth.Role;
import io.frostbyte.core.auth.Scope;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.TenantStatus;
import io.frostbyte.postgres.Database;
import io.frostbyte.server.auth.IssuedToken;
import io.frostbyte.server.auth.TenantStateCache;
import io.frostbyte.server.auth.TokenService;
import io.frostbyte.server.http.Bodies;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.http.Responses;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** {@code /api/v1/admin}: the platform view and tenant tokens (spec/08 §8.6). Role admin, scope admin. */
public final class AdminController {
    /** What {@code GET /admin/platform} reports besides tenant counts. */
    public record PlatformInfo(
            String version,
            String shape,
            List<String> roles,
            String embeddingProfile,
            List<String> enabledTypes,
            String answerer,
            List<String> signingKeyIds) {
        public PlatformInfo {
            roles = List.copyOf(roles);
            enabledTypes = List.copyOf(enabledTypes);
            signingKeyIds = List.copyOf(signingKeyIds);
        }
    }

    /** Body of {@code POST /admin/tenants/{t}/tokens}. */
    public record TokenRequest(String sub, String role, List<String> scopes, Long ttlSeconds) {}

    /** Body of requests that only carry a reason. */
    public record ReasonRequest(String reason) {}

    private final PlatformInfo platform;
    private final TenantStateCache tenants;
    private final Function<TenantId, Optional<TenantStatus>> findTenant;
    private final TokenService tokens;
    private final AuditLog audit;
    private final Database database;

    public AdminController(
            PlatformInfo platform,
            TenantStateCache tenants,
            Function<TenantId, Optional<TenantStatus>> findTenant,
            TokenService tokens,
            AuditLog audit,
            Database database) {
        this.platform = requireNonNull(platform, "platform is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.findTenant = requireNonNull(findTenant, "findTenant is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.database = requireNonNull(database, "database is null");
    }

    public void platform(Context ctx) {
        Map<String, Integer> byState = new TreeMap<>();
        for (TenantState state : TenantState.values()) {
            byState.put(state.name(), 0);
        }
        tenants.all().values().stream()
                .filter(status -> !status.tenantId().isPlatform())
                .forEach(status -> byState.merge(status.state().name(), 1, Integer::sum));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("version", platform.version());
        data.put("shape", platform.shape());
        data.put("roles", platform.roles());
        data.put("embedding_profile", platform.embeddingProfile());
        data.put("enabled_types", platform.enabledTypes());
        data.put("answerer", platform.answerer());
        data.put("tenants_by_state", byState);
        data.put("signing_key_ids", platform.signingKeyIds());
        Responses.ok(ctx, data);
    }

    public void issueToken(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        TokenRequest request = Bodies.json(ctx, TokenRequest.class);
        if (request.sub() == null) {
            throw missing("sub");
        }
        if (request.role() == null) {
            throw missing("role");
        }
        if (request.scopes() == null) {
            throw missing("scopes");
        }
        Role role = parse("role", request.role(), Role::fromWire);
        if (role == Role.ADMIN) {
            throw invalid("role", request.role(), "tenant_user, tenant_admin or auditor");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String scope : request.scopes()) {
            scopes.add(parse("scopes", scope, Scope::fromWire));
        }
        long ttl = request.ttlSeconds() == null ? 86_400 : request.ttlSeconds();
        if (ttl < 300 || ttl > 7_776_000) {
            throw invalid("ttl_seconds", ttl, "300 <= ttl_seconds <= 7776000");
        }
        TenantStatus tenant = findTenant
                .apply(tenantId)
                .orElseThrow(() -> new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "Tenant not found."));
        if (tenant.state() != TenantState.ACTIVE) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION, "Tokens are issued only for ACTIVE tenants.");
        }
        IssuedToken issued =
                tokens.issue(request.sub(), tenantId, role, scopes, Duration.ofSeconds(ttl), tenant.keyEpoch());
        TreeMap<String, Object> details = new TreeMap<>();
        details.put("component", "auth");
        details.put("status", "success");
        details.put("jti", issued.jti());
        details.put("role", role.wire());
        details.put("scopes", scopes.stream().map(Scope::wire).sorted().toList());
        details.put("expires_at", Json.timestamp(issued.expiresAt()));
        details.put("key_epoch", issued.keyEpoch());
        database.inTransaction(tx -> audit.append(
                tx,
                new AuditEventDraft(
                        tenantId,
                        EventType.TOKEN_ISSUED,
                        TenantAdminController.actor(ctx),
                        "token",
                        issued.jti(),
                        Optional.empty(),
                        details)));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("token", issued.token());
        data.put("jti", issued.jti());
        data.put("expires_at", Json.timestamp(issued.expiresAt()));
        data.put("key_epoch", issued.keyEpoch());
        Responses.created(ctx, data);
    }

    private static <T> T parse(String field, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (FrostbyteException e) {
            throw invalid(field, value, e.getMessage());
        }
    }

    private static FrostbyteException missing(String field) {
        return invalid(field, null, "required");
    }

    private static FrostbyteException invalid(String field, Object value, String constraint) {
        return new FrostbyteException(
                ErrorCode.VALIDATION_ERROR,
                "Request body is invalid.",
                List.of(new FrostbyteException.ErrorDetail(field, value, constraint)));
    }
}
