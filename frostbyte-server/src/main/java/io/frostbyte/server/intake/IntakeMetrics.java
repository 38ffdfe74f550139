package io.frostbyte.server.intake;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The intake metrics of spec/09 §9.2: batches by result and code, files by status and reason. */
public final class IntakeMetrics {
    private final MeterRegistry registry;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    void batch(String result, String code) {
        Counter.builder("frostbyte.intake.batches")
                .description("Batch requests by result")
                .tag("result", result)
                .tag("code", code)
                .register(registry)
                .increment();
    }

    void file(String status, String reason) {
        Counter.builder("frostbyte.intake.files")
                .description("Files of committed batches by status")
                .tag("status", status)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
