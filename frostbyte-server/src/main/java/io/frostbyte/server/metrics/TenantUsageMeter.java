package io.frostbyte.server.metrics;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.frostbyte.core.index.IndexNamespace;
import io.frostbyte.core.index.VectorIndex;
import io.frostbyte.core.storage.ObjectStore;
import io.frostbyte.core.storage.ObjectUsage;
import io.frostbyte.core.tenant.TenantState;
import io.frostbyte.core.tenant.TenantStatus;
import io.frostbyte.postgres.PostgresTenantUsage;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Measures every live tenant's storage once a minute (spec/09 §9.2): its objects as stored (ciphertext), {@code
 * pg_database_size} of its database and the size of its index generations, with its row counts. Exports per tenant
 * ({@code tenant_id} label) {@code frostbyte_storage_bytes{store}}, {@code frostbyte_storage_objects{store}}, {@code
 * frostbyte_tenant_quota_bytes}, {@code frostbyte_tenant_state{state}} and {@code frostbyte_tenant_embedding_halted}
 * (the last two read the tenant-state cache at scrape time, so a suspension shows at once). The API's {@code usage},
 * the intake quota and the intake cut at 90 % of quota (spec/07 §7.8) read the last measurement. Thread-safe.
 */
public final class TenantUsageMeter implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TenantUsageMeter.class);
    public static final Duration INTERVAL = Duration.ofSeconds(60);
    /** Share of the quota from which the tenant's intake limit drops to a tenth. */
    public static final double NEARLY_FULL = 0.9;

    /**
     * One measurement of a tenant.
     *
     * @param receiptBytes plaintext bytes the tenant's receipts had added when it was measured, so intake can add what
     *     was accepted since
     */
    public record TenantUsage(
            ObjectUsage objects,
            long databaseBytes,
            long indexBytes,
            long documents,
            long chunks,
            long batches,
            long quotaBytes,
            long receiptBytes,
            Instant measuredAt) {
        public TenantUsage {
            requireNonNull(objects, "objects is null");
            requireNonNull(measuredAt, "measuredAt is null");
        }

        /** Object, database and index bytes: what the quota counts (spec/07 §7.8). */
        public long totalBytes() {
            return objects.bytes() + databaseBytes + indexBytes;
        }

        public boolean nearlyFull() {
            return quotaBytes > 0 && totalBytes() >= NEARLY_FULL * quotaBytes;
        }
    }

    /** Where the figures come from; every function names its tenant. */
    public record Sources(
            Supplier<Map<TenantId, TenantStatus>> statuses,
            Function<TenantId, Optional<Long>> quotaBytes,
            ObjectStore objects,
            PostgresTenantUsage database,
            VectorIndex index,
            Function<TenantId, List<Integer>> generations,
            ToLongFunction<TenantId> receiptBytes) {
        public Sources {
            requireNonNull(statuses, "statuses is null");
            requireNonNull(quotaBytes, "quotaBytes is null");
            requireNonNull(objects, "objects is null");
            requireNonNull(database, "database is null");
            requireNonNull(index, "index is null");
            requireNonNull(generations, "generations is null");
            requireNonNull(receiptBytes, "receiptBytes is null");
        }
    }

    private final Sources sources;
    private final Clock clock;
    private final Map<TenantId, TenantUsage> measured = new ConcurrentHashMap<>();
    private final MultiGauge storageBytes;
    private final MultiGauge storageObjects;
    private final MultiGauge quota;
    private final MultiGauge state;
    private final MultiGauge halted;
    private final ScheduledExecutorService timer;

    public TenantUsageMeter(Sources sources, Metrics metrics, Clock clock) {
        this.sources = requireNonNull(sources, "sources is null");
        this.clock = requireNonNull(clock, "clock is null");
        var registry = requireNonNull(metrics, "metrics is null").registry();
        storageBytes =
                gauge(registry, "frostbyte.storage.bytes", "Bytes a tenant stores, by store, measured every 60 s");
        storageObjects = gauge(
                registry,
                "frostbyte.storage.objects",
                "Objects a tenant stores (store=object) and its document rows (store=database)");
        quota = gauge(registry, "frostbyte.tenant.quota.bytes", "A tenant's storage quota");
        state = gauge(registry, "frostbyte.tenant.state", "1 for the tenant's current state, else 0");
        halted = gauge(
                registry,
                "frostbyte.tenant.embedding.halted",
                "1 while the tenant's embedding is halted by a dimension assertion");
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tenant-usage-meter").daemon().factory());
    }

    private static MultiGauge gauge(io.micrometer.core.instrument.MeterRegistry registry, String name, String help) {
        return MultiGauge.builder(name).description(help).register(registry);
    }

    /** Measures now, then every {@link #INTERVAL}. */
    public TenantUsageMeter start() {
        timer.scheduleWithFixedDelay(this::measureAll, 0, INTERVAL.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** The last measurement of a live tenant, measuring it now if it has none; empty for a tenant that is not live. */
    public Optional<TenantUsage> usage(TenantId tenantId) {
        TenantUsage last = measured.get(tenantId);
        if (last != null) {
            return Optional.of(last);
        }
        TenantStatus status = sources.statuses().get().get(tenantId);
        if (status == null || !live(status)) {
            return Optional.empty();
        }
        try {
            return Optional.of(measure(tenantId));
        } catch (RuntimeException e) {
            // e.g. deprovisioned meanwhile: no figure rather than a failed request
            LOG.warn(
                    "cannot measure the storage of tenant {}: {}",
                    tenantId,
                    e.getClass().getName());
            return Optional.empty();
        }
    }

    /** The last measurement, without measuring. */
    public Optional<TenantUsage> last(TenantId tenantId) {
        return Optional.ofNullable(measured.get(tenantId));
    }

    /** Whether the last measurement put the tenant at 90 % of its quota or more (never measures). */
    public boolean nearlyFull(TenantId tenantId) {
        TenantUsage last = measured.get(tenantId);
        return last != null && last.nearlyFull();
    }

    /**
     * Bytes the quota counts now: the last measurement plus the plaintext bytes receipts added since (a lower bound of
     * what those files take as ciphertext).
     */
    public long usedBytes(TenantId tenantId) {
        Optional<TenantUsage> usage = usage(tenantId);
        if (usage.isEmpty()) {
            return sources.receiptBytes().applyAsLong(tenantId);
        }
        long since = sources.receiptBytes().applyAsLong(tenantId) - usage.get().receiptBytes();
        return usage.get().totalBytes() + Math.max(0, since);
    }

    /** Measures one tenant now, keeps the result and publishes it. */
    public TenantUsage measure(TenantId tenantId) {
        TenantUsage usage = measureOnly(tenantId);
        publish(sources.statuses().get());
        return usage;
    }

    /** Measures one tenant and keeps the result; the caller publishes. */
    private TenantUsage measureOnly(TenantId tenantId) {
        long receipts = sources.receiptBytes().applyAsLong(tenantId);
        ObjectUsage objects = sources.objects().usage(tenantId);
        PostgresTenantUsage.DatabaseUsage database = sources.database().database(tenantId);
        long indexBytes = 0;
        for (int generation : sources.generations().apply(tenantId)) {
            indexBytes += sources.index()
                    .storageBytes(new IndexNamespace(tenantId, generation))
                    .orElse(0);
        }
        TenantUsage usage = new TenantUsage(
                objects,
                database.bytes(),
                indexBytes,
                database.documents(),
                database.chunks(),
                sources.database().batches(tenantId),
                sources.quotaBytes().apply(tenantId).orElse(0L),
                receipts,
                clock.instant());
        measured.put(tenantId, usage);
        return usage;
    }

    /** Measures every live tenant, forgets the others, and publishes the gauges. */
    void measureAll() {
        try {
            Map<TenantId, TenantStatus> statuses = sources.statuses().get();
            measured.keySet().removeIf(tenantId -> !statuses.containsKey(tenantId) || !live(statuses.get(tenantId)));
            for (TenantStatus status : statuses.values()) {
                if (live(status)) {
                    try {
                        measureOnly(status.tenantId());
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "cannot measure the storage of tenant {}: {}",
                                status.tenantId(),
                                e.getClass().getName());
                    }
                }
            }
            publish(statuses);
        } catch (RuntimeException e) {
            LOG.warn("tenant storage measurement failed: {}", e.getClass().getName());
        }
    }

    private synchronized void publish(Map<TenantId, TenantStatus> statuses) {
        List<MultiGauge.Row<?>> bytes = new ArrayList<>();
        List<MultiGauge.Row<?>> objects = new ArrayList<>();
        List<MultiGauge.Row<?>> quotas = new ArrayList<>();
        measured.forEach((tenantId, usage) -> {
            Tags tenant = Tags.of("tenant_id", tenantId.value());
            bytes.add(MultiGauge.Row.of(
                    tenant.and("store", "object"), usage.objects().bytes()));
            bytes.add(MultiGauge.Row.of(tenant.and("store", "database"), usage.databaseBytes()));
            bytes.add(MultiGauge.Row.of(tenant.and("store", "index"), usage.indexBytes()));
            objects.add(MultiGauge.Row.of(
                    tenant.and("store", "object"), usage.objects().objects()));
            objects.add(MultiGauge.Row.of(tenant.and("store", "database"), usage.documents()));
            quotas.add(MultiGauge.Row.of(tenant, usage.quotaBytes()));
        });
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        List<MultiGauge.Row<?>> halts = new ArrayList<>();
        for (TenantId tenantId : statuses.keySet()) {
            if (tenantId.isPlatform()) {
                continue;
            }
            Tags tenant = Tags.of("tenant_id", tenantId.value());
            for (TenantState each : TenantState.values()) {
                states.add(MultiGauge.Row.of(
                        tenant.and("state", each.name()),
                        this,
                        meter -> meter.currentStatus(tenantId)
                                        .map(s -> s.state() == each)
                                        .orElse(false)
                                ? 1
                                : 0));
            }
            halts.add(MultiGauge.Row.of(
                    tenant,
                    this,
                    meter -> meter.currentStatus(tenantId)
                                    .map(TenantStatus::embeddingHalted)
                                    .orElse(false)
                            ? 1
                            : 0));
        }
        storageBytes.register(bytes, true);
        storageObjects.register(objects, true);
        quota.register(quotas, true);
        state.register(states, true);
        halted.register(halts, true);
    }

    private Optional<TenantStatus> currentStatus(TenantId tenantId) {
        return Optional.ofNullable(sources.statuses().get().get(tenantId));
    }

    /** Tenants whose stores exist and are measured: provisioned, not the platform's own pseudo-tenant. */
    private static boolean live(TenantStatus status) {
        return !status.tenantId().isPlatform()
                && (status.state() == TenantState.ACTIVE || status.state() == TenantState.SUSPENDED);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
