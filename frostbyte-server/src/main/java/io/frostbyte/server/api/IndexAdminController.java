package io.frostbyte.server.api;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.ErrorCode;
import io.frostbyte.core.FrostbyteException;
import io.frostbyte.core.TenantId;
import io.frostbyte.core.tenant.TenantRecord;
import io.frostbyte.postgres.IndexGeneration;
import io.frostbyte.postgres.PostgresIndexGenerations;
import io.frostbyte.server.http.Bodies;
import io.frostbyte.server.http.Json;
import io.frostbyte.server.http.Responses;
import io.frostbyte.server.index.IndexGenerations;
import io.frostbyte.server.index.IndexRebuilder;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /api/v1/admin/tenants/{t}/index}: the tenant's index generations and their rebuild (spec/04 §4.5, spec/08
 * §8.6). Role admin, scope admin.
 */
public final class IndexAdminController {
    /** Body of {@code POST .../index/rebuild}. */
    public record RebuildRequest(String reason, String embeddingProfile) {}

    private final IndexRebuilder rebuilder;
    private final IndexGenerations generations;
    private final PostgresIndexGenerations store;
    private final Function<TenantId, Optional<TenantRecord>> tenants;

    public IndexAdminController(
            IndexRebuilder rebuilder,
            IndexGenerations generations,
            PostgresIndexGenerations store,
            Function<TenantId, Optional<TenantRecord>> tenants) {
        this.rebuilder = requireNonNull(rebuilder, "rebuilder is null");
        this.generations = requireNonNull(generations, "generations is null");
        this.store = requireNonNull(store, "store is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
    }

    /** 202 {@code {target_generation, embed_model, embed_version, dimensions}}; the build continues in the background. */
    public void rebuild(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        RebuildRequest request = Bodies.json(ctx, RebuildRequest.class);
        String reason = TenantAdminController.requireReason(request.reason());
        if (request.embeddingProfile() != null
                && (request.embeddingProfile().isBlank()
                        || request.embeddingProfile().length() > 64)) {
            throw new FrostbyteException(
                    ErrorCode.VALIDATION_ERROR,
                    "Request body is invalid.",
                    List.of(new FrostbyteException.ErrorDetail("embedding_profile", null, "1 to 64 characters")));
        }
        IndexGeneration building = rebuilder.start(
                tenantId, Optional.ofNullable(request.embeddingProfile()), reason, TenantAdminController.actor(ctx));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("target_generation", building.generation());
        data.put("embed_model", building.profile().embedModel());
        data.put("embed_version", building.profile().embedVersion());
        data.put("dimensions", building.profile().dimensions());
        Responses.accepted(ctx, data);
    }

    /** The current generation, a rebuild in progress with its progress, and every generation, newest first. */
    public void get(Context ctx) {
        TenantId tenantId = TenantAdminController.pathTenant(ctx);
        if (tenants.apply(tenantId).filter(t -> !t.tenantId().isPlatform()).isEmpty()) {
            throw new FrostbyteException(ErrorCode.RESOURCE_NOT_FOUND, "Tenant not found.");
        }
        IndexGeneration current = generations.current(tenantId).generation();
        List<Map<String, Object>> all = new ArrayList<>();
        Map<String, Object> building = null;
        for (IndexGeneration generation : store.list(tenantId)) {
            Map<String, Object> view = view(generation);
            all.add(view);
            if (generation.status() == IndexGeneration.Status.BUILDING) {
                building = view;
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant_id", tenantId.value());
        data.put("current", view(current));
        data.put("building", building);
        data.put("generations", all);
        Responses.ok(ctx, data);
    }

    private static Map<String, Object> view(IndexGeneration generation) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("generation", generation.generation());
        view.put("index_version", generation.indexVersion());
        view.put("status", generation.status().name().toLowerCase(Locale.ROOT));
        view.put("embedding_profile", generation.profile().profile());
        view.put("embed_model", generation.profile().embedModel());
        view.put("embed_version", generation.profile().embedVersion());
        view.put("dimensions", generation.profile().dimensions());
        view.put("analyzer", generation.profile().analyzer());
        view.put("chunks_total", generation.chunksTotal());
        view.put("chunks_done", generation.chunksDone());
        view.put("error_code", generation.errorCode().orElse(null));
        view.put("created_at", Json.timestamp(generation.createdAt()));
        view.put("switched_at", generation.switchedAt().map(Json::timestamp).orElse(null));
        view.put("retired_at", generation.retiredAt().map(Json::timestamp).orElse(null));
        return view;
    }
}
