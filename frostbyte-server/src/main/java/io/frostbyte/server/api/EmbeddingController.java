package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.audit.AuditEventDraft;
import io.frostbyte.core.audit.AuditLog;
import io.frostbyte.core.audit.EventType;
import io.frostbyte.postgres.Database;
import io.frostbyte.postgres.PostgresAdminNotes;
import io.frostbyte.postgres.PostgresEmbeddingHalts;
import io.frostbyte.server.auth.TenantStateCache;
import io.frostbyte.server.http.Bodies;
import io.frostbyte.server.http.Responses;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code POST /api/v1/admin/tenants/{t}/embedding/resume} (spec/08 §8.6, spec/04 EMB-2): clears a tenant's embedding
 * halt so its queued embed and index jobs are claimed again; 409 when it is not halted. Role admin, scope admin.
 *
 * <p>The catalogue (spec/06 §6.5) has no event of its own for this, so the change is recorded as TENANT_CONFIG_UPDATED
 * {@code {changes: [{field: embedding_halted, old_value: true, new_value: false}], config_version,
 * previous_config_version, reason_sha256}} with the config version unchanged: an admin's change of a tenant attribute,
 * not a lifecycle transition (TENANT_RESUMED means {@code SUSPENDED → ACTIVE}).
 */
public final class EmbeddingController {
    private final PostgresEmbeddingHalts halts;
    private final PostgresAdminNotes notes;
    private final AuditLog audit;
    private final Database database;
    private final TenantStateCache cache;
    private final Runnable wakeWorkers;

    /**
     * @param wakeWorkers called after the halt was cleared, so a local worker pool claims the tenant's jobs at once
     */
    public EmbeddingController(
            PostgresEmbeddingHalts halts,
            PostgresAdminNotes notes,
            AuditLog audit,
            Database database,
            TenantStateCache cache,
            Runnable wakeWorkers) {
        this.halts = requireNonNull(halts, "halts is null");
        this.notes = requireNonNull(notes, "notes is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.database = requireNonNull(database, "database is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.wakeWorkers = requireNonNull(wakeWorkers, "wakeWorkers is null");
    }

    public void resume(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        String reason = TenantAdminController.requireReason(
                Bodies.json(ctx, TenantAdminController.ReasonOnly.class).reason());
        String actor = TenantAdminController.actor(ctx);
        database.inTransaction(tx -> {
            int configVersion = halts.resume(tx, tenantId);
            String reasonSha = notes.record(tx, tenantId, "embedding_resume", reason, actor);
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("field", "embedding_halted");
            change.put("old_value", true);
            change.put("new_value", false);
            TreeMap<String, Object> details = new TreeMap<>();
            details.put("component", "admin-api");
            details.put("status", "success");
            details.put("changes", List.of(change));
            details.put("config_version", configVersion);
            details.put("previous_config_version", configVersion);
            details.put("reason_sha256", reasonSha);
            audit.append(
                    tx,
                    new AuditEventDraft(
                            tenantId,
                            EventType.TENANT_CONFIG_UPDATED,
                            actor,
                            "tenant",
                            tenantId.value(),
                            Optional.empty(),
                            details));
            return null;
        });
        cache.refresh();
        wakeWorkers.run();
        Responses.ok(ctx, Map.of("embedding_halted", false));
    }
}
