package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.core.keys.KeyVersion;
import io.frostbyte.core.tenant.ProvisioningReport;
import io.frostbyte.core.tenant.StateChange;
import io.frostbyte.core.tenant.TenantConfig;
import io.frostbyte.core.tenant.TenantPage;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.core.tenant.TenantRegistration;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.Tier;
import io.frostbyte.crypto.TenantKeyring;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresTenantLifecycle;
import io.frostbyte.server.auth.Principal;
import io.frostbyte.server.auth.TenantStateCache;
import io.frostbyte.server.http.Bodies;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.http.RequestContext;
import io.frostbyte.server.http.Responses;
import io.frostbyte.server.metrics.TenantUsageMeter;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code /api/v1/admin/tenants}: registration, lifecycle, configuration and keys (spec/08 §8.6, spec/07). */
public final class TenantAdminController {
    /** Body of {@code POST /admin/tenants}. */
    public record CreateRequest(
            String tenantName,
            String contactEmail,
            String tier,
            String tenantId,
            Boolean provision,
            Map<String, Object> config) {}

    /** Body of {@code PATCH /admin/tenants/{t}}. */
    public record PatchRequest(Map<String, Object> config, String tier, String reason) {}

    /** Body of suspend. */
    public record SuspendRequest(String reason, Boolean notifyTenant) {}

    /** Body of deprovision. */
    public record DeprovisionRequest(String reason, Boolean confirm, String confirmTenantId) {}

    /** Body of abandon. */
    public record AbandonRequest(String reason, String confirmTenantId) {}

    private final PostgresTenantLifecycle lifecycle;
    private final TenantStateCache cache;
    private final TenantKeyring keyring;
    private final AuditLog audit;
    private final Database database;
    private final TenantUsageMeter usage;

    public TenantAdminController(
            PostgresTenantLifecycle lifecycle,
            TenantStateCache cache,
            TenantKeyring keyring,
            AuditLog audit,
            Database database,
            TenantUsageMeter usage) {
        this.usage = requireNonNull(usage, "usage is null");
        this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.keyring = requireNonNull(keyring, "keyring is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.database = requireNonNull(database, "database is null");
    }

    public void create(Context ctx) {
        CreateRequest request = Bodies.json(ctx, CreateRequest.class);
        List<FrostbyteException.ErrorDetail> missing = new ArrayList<>();
        if (request.tenantName() == null) {
            missing.add(required("tenant_name"));
        }
        if (request.contactEmail() == null) {
            missing.add(required("contact_email"));
        }
        if (request.tier() == null) {
            missing.add(required("tier"));
        }
        if (!missing.isEmpty()) {
            throw new FrostbyteException(ErrorCode.VALIDATION_ERROR, "Request body is invalid.", missing);
        }
        Optional<TenantId> id = Optional.ofNullable(request.tenantId()).map(TenantId::of);
        TenantRegistration registration = new TenantRegistration(
                id,
                request.tenantName(),
                request.contactEmail(),
                Tier.fromWire(request.tier()),
                request.config() == null ? Map.of() : request.config());
        String actor = actor(ctx);
        TenantRecord created = lifecycle.create(registration, actor);
        Map<String, Object> provisioning = new LinkedHashMap<>();
        if (request.provision() == null || request.provision()) {
            lifecycle.provision(created.tenantId(), actor, Optional.empty());
            provisioning.put("status", "running");
            provisioning.put("started_at", Json.timestamp(Instant.now()));
        } else {
            provisioning.put("status", "not_started");
            provisioning.put("started_at", null);
        }
        provisioning.put("completed_at", null);
        cache.refresh();
        TenantRecord now = lifecycle.require(created.tenantId());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant_id", now.tenantId().value());
        data.put("state", now.state().name());
        data.put("tier", now.tier().wire());
        data.put("created_at", Json.timestamp(now.createdAt()));
        data.put("config_version", now.configVersion());
        data.put("config", now.config().toMap());
        if (now.state() == TenantState.ACTIVE) {
            provisioning.put("status", "completed");
            provisioning.put(
                    "completed_at", now.provisionedAt().map(Json::timestamp).orElse(null));
        }
        data.put("provisioning", provisioning);
        Responses.created(ctx, data);
    }

    public void list(Context ctx) {
        Optional<TenantState> state =
                Optional.ofNullable(ctx.queryParam("state")).map(TenantAdminController::state);
        int page = Pages.page(ctx);
        int limit = Pages.limit(ctx, 20, 100);
        TenantPage result = lifecycle.list(state, page, limit);
        List<Map<String, Object>> tenants = new ArrayList<>();
        for (TenantRecord tenant : result.tenants()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("tenant_id", tenant.tenantId().value());
            item.put("tenant_name", tenant.tenantName());
            item.put("state", tenant.state().name());
            item.put("tier", tenant.tier().wire());
            item.put("created_at", Json.timestamp(tenant.createdAt()));
            Optional<TenantUsageMeter.TenantUsage> measured = usage.last(tenant.tenantId());
            item.put(
                    "documents_count",
                    measured.map(TenantUsageMeter.TenantUsage::documents).orElse(0L));
            item.put(
                    "storage_used_gb",
                    gb(measured.map(TenantUsageMeter.TenantUsage::totalBytes).orElse(0L)));
            tenants.add(item);
        }
        Responses.page(ctx, Map.of("tenants", tenants), Pages.meta(result.total(), page, limit));
    }

    public void get(Context ctx) {
        TenantRecord tenant = lifecycle.require(pathTenant(ctx));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant_id", tenant.tenantId().value());
        data.put("tenant_name", tenant.tenantName());
        data.put("state", tenant.state().name());
        data.put("tier", tenant.tier().wire());
        data.put("contact_email", tenant.contactEmail().orElse(null));
        data.put("created_at", Json.timestamp(tenant.createdAt()));
        data.put("provisioned_at", tenant.provisionedAt().map(Json::timestamp).orElse(null));
        data.put("config_version", tenant.configVersion());
        data.put("config", tenant.config().toMap());
        data.put("key_epoch", tenant.keyEpoch());
        data.put("embedding_halted", tenant.embeddingHalted());
        Optional<TenantUsageMeter.TenantUsage> measured = usage.usage(tenant.tenantId());
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("object", gb(measured.map(u -> u.objects().bytes()).orElse(0L)));
        storage.put(
                "database",
                gb(measured.map(TenantUsageMeter.TenantUsage::databaseBytes).orElse(0L)));
        storage.put(
                "index",
                gb(measured.map(TenantUsageMeter.TenantUsage::indexBytes).orElse(0L)));
        storage.put(
                "total",
                gb(measured.map(TenantUsageMeter.TenantUsage::totalBytes).orElse(0L)));
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("storage_used_gb", storage);
        usage.put("quota_gb", tenant.config().toMap().get(TenantConfig.STORAGE_QUOTA_GB));
        usage.put(
                "documents_count",
                measured.map(TenantUsageMeter.TenantUsage::documents).orElse(0L));
        usage.put(
                "chunks_count",
                measured.map(TenantUsageMeter.TenantUsage::chunks).orElse(0L));
        usage.put(
                "batches_count",
                measured.map(TenantUsageMeter.TenantUsage::batches).orElse(0L));
        usage.put(
                "measured_at", measured.map(u -> Json.timestamp(u.measuredAt())).orElse(null));
        data.put("usage", usage);
        data.put("endpoints", Map.of("api", "/api/v1", "health", "/health"));
        data.put("deletion_receipt", tenant.deletionReceipt().orElse(null));
        Responses.ok(ctx, data);
    }

    /** Binary gigabytes with six decimals: a few kilobytes still show. */
    static double gb(long bytes) {
        return Math.round(bytes / (double) (1L << 30) * 1e6) / 1e6;
    }

    public void patch(Context ctx) {
        TenantId tenantId = pathTenant(ctx);
        PatchRequest request = Bodies.json(ctx, PatchRequest.class);
        if (request.config() == null && request.tier() == null) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Request body is invalid.",
                    List.of(new FrostbyteException.ErrorDetail("config", null, "config or tier is required")));
        }
        PostgresTenantLifecycle.ConfigUpdate update = lifecycle.updateConfig(
                tenantId,
                request.config() == null ? Map.of() : request.config(),
                Optional.ofNullable(request.tier()).map(Tier::fromWire),
                actor(ctx),
                Optional.ofNullable(request.reason()));
        cache.refresh();
        List<Map<String, Object>> changes = new ArrayList<>();
        update.changes().forEach(change -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("field", change.field());
            item.put("old_value", change.oldValue());
            item.put("new_value", change.newValue());
            changes.add(item);
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("config", update.tenant().config().toMap());
        data.put("config_version", update.tenant().configVersion());
        data.put("updated_at", Json.timestamp(update.tenant().updatedAt()));
        data.put("changes", changes);
        Responses.ok(ctx, data);
    }

    public void provisioning(Context ctx) {
        ProvisioningReport report = lifecycle.provisioningReport(pathTenant(ctx));
        List<Map<String, Object>> steps = new ArrayList<>();
        report.steps().forEach(step -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("step", step.step());
            item.put("status", step.status().wire());
            item.put("started_at", step.startedAt().map(Json::timestamp).orElse(null));
            item.put("completed_at", step.completedAt().map(Json::timestamp).orElse(null));
            item.put("error_code", step.errorCode().orElse(null));
            steps.add(item);
        });
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", report.state().name());
        data.put("attempt", report.attempt());
        data.put("steps", steps);
        data.put("leftovers", report.leftovers());
        Responses.ok(ctx, data);
    }

    public void provision(Context ctx) {
        StateChange change = lifecycle.provision(pathTenant(ctx), actor(ctx), optionalReason(ctx));
        cache.refresh();
        Responses.accepted(ctx, Map.of("state", change.tenant().state().name()));
    }

    public void retry(Context ctx) {
        StateChange change = lifecycle.retry(pathTenant(ctx), actor(ctx), optionalReason(ctx));
        cache.refresh();
        Responses.accepted(ctx, Map.of("state", change.tenant().state().name()));
    }

    public void abandon(Context ctx) {
        AbandonRequest request = Bodies.json(ctx, AbandonRequest.class);
        StateChange change = lifecycle.abandon(
                pathTenant(ctx),
                actor(ctx),
                requireReason(request.reason()),
                requireField("confirm_tenant_id", request.confirmTenantId()));
        cache.refresh();
        Responses.accepted(ctx, Map.of("state", change.tenant().state().name()));
    }

    public void suspend(Context ctx) {
        SuspendRequest request = Bodies.json(ctx, SuspendRequest.class);
        StateChange change = lifecycle.suspend(pathTenant(ctx), actor(ctx), requireReason(request.reason()));
        cache.refresh();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("previous_state", change.previousState().name());
        data.put("current_state", change.tenant().state().name());
        data.put("suspended_at", Json.timestamp(change.at()));
        data.put("key_epoch", change.tenant().keyEpoch());
        data.put("actions_taken", change.actionsTaken());
        Responses.ok(ctx, data);
    }

    public void resume(Context ctx) {
        ReasonOnly request = Bodies.json(ctx, ReasonOnly.class);
        StateChange change = lifecycle.resume(pathTenant(ctx), actor(ctx), requireReason(request.reason()));
        cache.refresh();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("previous_state", change.previousState().name());
        data.put("current_state", change.tenant().state().name());
        data.put("resumed_at", Json.timestamp(change.at()));
        data.put("actions_taken", change.actionsTaken());
        Responses.ok(ctx, data);
    }

    public void deprovision(Context ctx) {
        DeprovisionRequest request = Bodies.json(ctx, DeprovisionRequest.class);
        StateChange change = lifecycle.deprovision(
                pathTenant(ctx),
                actor(ctx),
                requireReason(request.reason()),
                Boolean.TRUE.equals(request.confirm()),
                requireField("confirm_tenant_id", request.confirmTenantId()));
        cache.refresh();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", change.tenant().state().name());
        data.put("deprovision_started_at", Json.timestamp(change.at()));
        data.put("estimated_completion", Json.timestamp(change.at().plus(Duration.ofMinutes(1))));
        data.put("warning", "Irreversible: the tenant's keys are destroyed and its data becomes unreadable.");
        Responses.accepted(ctx, data);
    }

    public void revokeAll(Context ctx) {
        ReasonOnly request = Bodies.json(ctx, ReasonOnly.class);
        long epoch = lifecycle.revokeAllTokens(pathTenant(ctx), actor(ctx), requireReason(request.reason()));
        cache.refresh();
        Responses.ok(ctx, Map.of("key_epoch", epoch));
    }

    public void keys(Context ctx) {
        TenantRecord tenant = lifecycle.require(pathTenant(ctx));
        List<KeyVersion> versions = keyring.versions(tenant.tenantId());
        List<Map<String, Object>> items = new ArrayList<>();
        int primary = 0;
        Instant primaryCreated = null;
        for (KeyVersion version : versions) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("version", version.version());
            item.put("status", version.status().name().toLowerCase(java.util.Locale.ROOT));
            item.put("created_at", Json.timestamp(version.createdAt()));
            item.put("destroyed_at", version.destroyedAt().map(Json::timestamp).orElse(null));
            items.add(item);
            if (version.status() == KeyVersion.Status.PRIMARY) {
                primary = version.version();
                primaryCreated = version.createdAt();
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyset_id", "kek-" + tenant.tenantId().value());
        data.put("primary_version", primary);
        data.put("versions", items);
        Object rotationDays = tenant.config().toMap().get(TenantConfig.KEY_ROTATION_DAYS);
        data.put(
                "rotation_due_at",
                primaryCreated == null || !(rotationDays instanceof Number days)
                        ? null
                        : Json.timestamp(primaryCreated.plus(Duration.ofDays(days.longValue()))));
        data.put("rotation", null);
        Responses.ok(ctx, data);
    }

    public void rotateKey(Context ctx) {
        TenantId tenantId = pathTenant(ctx);
        ReasonOnly request = Bodies.json(ctx, ReasonOnly.class);
        requireReason(request.reason());
        TenantRecord tenant = lifecycle.require(tenantId);
        if (tenant.state() != TenantState.ACTIVE && tenant.state() != TenantState.SUSPENDED) {
            throw new FrostbyteException(
                    ErrorCode.INVALID_STATE_TRANSITION, "Keys rotate only for ACTIVE or SUSPENDED tenants.");
        }
        int old = keyring.versions(tenantId).stream()
                .filter(v -> v.status() == KeyVersion.Status.PRIMARY)
                .mapToInt(KeyVersion::version)
                .findFirst()
                .orElse(0);
        KeyVersion created = keyring.rotate(tenantId);
        String rotationId = io.frostbyte.core.Uuid7.randomString();
        Map<String, Object> details = new TreeMap<>();
        details.put("component", "key-manager");
        details.put("status", "success");
        details.put("rotation_id", rotationId);
        details.put("phase", "primary_changed");
        details.put("old_version", (long) old);
        details.put("new_version", (long) created.version());
        details.put("trigger", "manual");
        details.put("objects_rewrapped", 0L);
        database.inTransaction(tx -> audit.append(
                tx,
                new AuditEventDraft(
                        tenantId,
                        EventType.KEY_ROTATED,
                        actor(ctx),
                        "key",
                        "kek-" + tenantId.value(),
                        Optional.empty(),
                        new TreeMap<>(details))));
        Responses.accepted(ctx, Map.of("rotation_id", rotationId, "new_version", created.version()));
    }

    /** Body with a reason only. */
    public record ReasonOnly(String reason) {}

    static String actor(Context ctx) {
        return RequestContext.principal(ctx)
                .map(Principal::subject)
                .map(AuditEventDraft::user)
                .orElse(AuditEventDraft.SYSTEM);
    }

    private Optional<String> optionalReason(Context ctx) {
        if (ctx.req().getContentLengthLong() <= 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(Bodies.json(ctx, ReasonOnly.class).reason());
    }

    static TenantId pathTenant(Context ctx) {
        String raw = ctx.pathParam("tenant_id");
        if (!TenantId.isValid(raw)) {
            throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "Tenant not found.");
        }
        return TenantId.of(raw);
    }

    private static TenantState state(String raw) {
        try {
            return TenantState.valueOf(raw);
        } catch (IllegalArgumentException e) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Query is invalid.",
                    List.of(new FrostbyteException.ErrorDetail(
                            "state", raw, "one of " + List.of(TenantState.values()))));
        }
    }

    static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR, "Request body is invalid.", List.of(required("reason")));
        }
        if (reason.length() > 500) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Request body is invalid.",
                    List.of(new FrostbyteException.ErrorDetail("reason", null, "at most 500 characters")));
        }
        return reason;
    }

    private static String requireField(String field, String value) {
        if (value == null) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR, "Request body is invalid.", List.of(required(field)));
        }
        return value;
    }

    private static FrostbyteException.ErrorDetail required(String field) {
        return new FrostbyteException.ErrorDetail(field, null, "required");
    }
}
