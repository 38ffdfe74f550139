package io.frostbyte.server.intake;

import static java.util.Objects.requireNonNull;

import io.frostbyte.core.TenantId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The intake metrics of spec/09 §9.2 per tenant: batches by result and code, files by status and reason, files per
 * committed batch.
 */
public final class IntakeMetrics {
    private final MeterRegistry registry;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    void batch(TenantId tenantId, String result, String code) {
        Counter.builder("frostbyte.intake.batches")
                .description("Batch requests by result")
                .tag("tenant_id", tenantId.value())
                .tag("result", result)
                .tag("code", code)
                .register(registry)
                .increment();
    }

    /** {@code frostbyte_intake_batch_size}: files per committed batch. */
    void batchSize(TenantId tenantId, int files) {
        DistributionSummary.builder("frostbyte.intake.batch.size")
                .description("Files per committed batch")
                .tag("tenant_id", tenantId.value())
                .register(registry)
                .record(files);
    }

    void file(TenantId tenantId, String status, String reason) {
        Counter.builder("frostbyte.intake.files")
                .description("Files of committed batches by status")
                .tag("tenant_id", tenantId.value())
                .tag("status", status)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
